"""Kinds of demo posts and the scenario truth each carries.

A kind says what a post is (an outage complaint, a request for a quote, a job offer...) and
therefore its intended sentiment, intent and department, who writes it, where, in which
language, and how the conversation around it grows (replies, the brand's answer, copies,
reposts). The planner picks kinds; the phrase banks (:mod:`sbu.demo.phrases`) write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

Weights = tuple[tuple[str, float], ...]

SOCIAL: Weights = (("mastodon", 0.28), ("bluesky", 0.38), ("reddit", 0.18), ("youtube", 0.16))
CHATTY: Weights = (("mastodon", 0.33), ("bluesky", 0.42), ("reddit", 0.25))
OFFICIAL: Weights = (("mastodon", 0.4), ("bluesky", 0.6))
NEWS: Weights = (("rss", 1.0),)
VIDEO: Weights = (("youtube", 1.0),)

SENTIMENTS = ("negative", "neutral", "positive")
DEPARTMENTS = ("care", "marketing", "pr", "sales", "hr", "product", "none")
INTENTS = (
    "complaint",
    "question",
    "praise",
    "churn_risk",
    "purchase_intent",
    "request_for_quote",
    "comparison",
    "bug_report",
    "job_offer",
    "job_interest",
    "job_application",
    "employer_review",
    "announcement",
    "brand_reply",
    "answer",
    "review",
    "news",
    "comment",
    "noise",
    "spam",
)
#: Who writes a kind of post (see sbu.demo.authors).
AUTHOR_ROLES = ("public", "pro", "bot", "official", "care", "hr", "org", "journalist", "creator")

ANY = "*"  # kinds of replies, whose storyline is their thread's


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    sentiment: str
    intent: str
    department: str
    author: str = "public"
    platforms: Weights = SOCIAL
    #: Candidate primary actors; the planner picks one. "" means no actor of the world.
    actors: tuple[str, ...] = ("ondine",)
    #: Other actors the text always names.
    also: tuple[str, ...] = ()
    english: float = 0.1
    #: Mean number of replies from the public, and which kinds they are.
    replies: float = 0.0
    reply_kinds: Weights = ()
    #: Chance that the brand's care account answers.
    care_reply: float = 0.0
    #: Chance that the post goes viral: copied by other accounts with small edits.
    viral: float = 0.0
    #: Mean number of reposts (Mastodon boosts, Reddit crossposts).
    reposts: float = 0.0


COMPLAINT_REPLIES: Weights = (
    ("reply.me_too", 0.45),
    ("reply.peer_help", 0.25),
    ("reply.banter", 0.3),
)
#: In an outage, people mostly join in ("me too").
OUTAGE_REPLIES: Weights = (
    ("reply.me_too", 0.62),
    ("reply.answer", 0.14),
    ("reply.peer_help", 0.1),
    ("reply.banter", 0.14),
)
QUESTION_REPLIES: Weights = (
    ("reply.answer", 0.6),
    ("reply.peer_help", 0.25),
    ("reply.banter", 0.15),
)
PRAISE_REPLIES: Weights = (("reply.agree", 0.7), ("reply.banter", 0.3))
NEWS_REPLIES: Weights = (("reply.banter", 0.5), ("reply.agree", 0.2), ("reply.me_too", 0.3))

_KINDS = (
    # -- replies (their storyline is the thread's) ------------------------------------------
    Kind("reply.me_too", "negative", "complaint", "care", platforms=CHATTY, english=0.08),
    Kind("reply.peer_help", "neutral", "answer", "none", platforms=CHATTY, english=0.08),
    Kind("reply.answer", "neutral", "answer", "none", platforms=CHATTY, english=0.08),
    Kind("reply.banter", "neutral", "comment", "none", platforms=CHATTY, english=0.08),
    Kind("reply.agree", "positive", "comment", "none", platforms=CHATTY, english=0.08),
    Kind("reply.care", "neutral", "brand_reply", "none", author="care", platforms=CHATTY),
    Kind("reply.followup_ok", "positive", "praise", "care", platforms=CHATTY, english=0.08),
    Kind("reply.followup_ko", "negative", "complaint", "care", platforms=CHATTY, english=0.08),
    # -- everyday talk about Ondine ---------------------------------------------------------
    Kind("brand.question", "neutral", "question", "care", replies=0.7,
         reply_kinds=QUESTION_REPLIES, care_reply=0.45),
    Kind("brand.complaint", "negative", "complaint", "care", replies=0.8,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.4, viral=0.004),
    Kind("brand.billing", "negative", "complaint", "care", replies=0.5,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.5, english=0.05),
    Kind("brand.install", "negative", "complaint", "care", also=("linea",), replies=0.6,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.45, english=0.05),
    Kind("brand.praise", "positive", "praise", "marketing", replies=0.4,
         reply_kinds=PRAISE_REPLIES, care_reply=0.15),
    Kind("brand.mention", "neutral", "comment", "none", replies=0.3,
         reply_kinds=QUESTION_REPLIES),
    Kind("brand.promo", "positive", "announcement", "none", author="official",
         platforms=OFFICIAL, replies=1.2, reply_kinds=PRAISE_REPLIES, reposts=2.0, english=0.0),
    Kind("brand.tip", "neutral", "announcement", "none", author="care", platforms=OFFICIAL,
         replies=0.6, reply_kinds=QUESTION_REPLIES, reposts=1.0, english=0.0),
    Kind("brand.news", "neutral", "news", "pr", author="journalist", platforms=NEWS, english=0.08),
    Kind("brand.video", "positive", "announcement", "none", author="official", platforms=VIDEO,
         english=0.0),
    Kind("brand.video_review", "positive", "review", "marketing", author="creator",
         platforms=VIDEO, english=0.15),
    # -- the outage -------------------------------------------------------------------------
    Kind("outage.complaint", "negative", "complaint", "care", replies=1.3,
         reply_kinds=OUTAGE_REPLIES, care_reply=0.25, viral=0.012, reposts=0.3, english=0.07),
    Kind("outage.question", "neutral", "question", "care", replies=1.0,
         reply_kinds=(("reply.answer", 0.45), ("reply.me_too", 0.45), ("reply.banter", 0.1)), care_reply=0.3, english=0.07),
    Kind("outage.churn", "negative", "churn_risk", "sales", replies=0.8,
         reply_kinds=OUTAGE_REPLIES, care_reply=0.35, english=0.05),
    Kind("outage.pro_impact", "negative", "complaint", "care", author="pro", replies=0.5,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.5, english=0.0),
    Kind("outage.humor", "negative", "comment", "none", replies=0.6,
         reply_kinds=(("reply.banter", 0.7), ("reply.me_too", 0.3)), reposts=0.4, english=0.1),
    Kind("outage.official", "neutral", "announcement", "none", author="care",
         platforms=OFFICIAL, replies=3.0, reply_kinds=(("reply.followup_ko", 0.6),
         ("reply.me_too", 0.4)), reposts=4.0, english=0.0),
    Kind("outage.news", "negative", "news", "pr", author="journalist", platforms=NEWS,
         viral=0.12, english=0.1),
    Kind("outage.jab", "positive", "announcement", "pr", author="org",
         actors=("alize", "triskel"), also=("ondine",), platforms=OFFICIAL, replies=1.5,
         reply_kinds=(("reply.banter", 0.6), ("reply.agree", 0.4)), english=0.0),
    Kind("outage.thanks", "positive", "praise", "care", replies=0.2,
         reply_kinds=PRAISE_REPLIES, english=0.07),
    Kind("outage.compensation", "negative", "question", "care", replies=0.6,
         reply_kinds=QUESTION_REPLIES, care_reply=0.4, english=0.05),
    Kind("outage.resolved", "positive", "announcement", "none", author="care",
         platforms=OFFICIAL, replies=2.0, reply_kinds=(("reply.followup_ok", 0.5),
         ("reply.followup_ko", 0.3), ("reply.banter", 0.2)), reposts=3.0, english=0.0),
    Kind("outage.news_resolved", "neutral", "news", "pr", author="journalist",
         platforms=NEWS, english=0.1),
    Kind("outage.video", "negative", "news", "pr", author="creator", platforms=VIDEO,
         english=0.0),
    # -- the launch of the Box Neo ----------------------------------------------------------
    Kind("launch.teaser", "neutral", "comment", "marketing", replies=0.6,
         reply_kinds=PRAISE_REPLIES, english=0.1),
    Kind("launch.official", "positive", "announcement", "none", author="official",
         platforms=OFFICIAL, replies=3.0, reply_kinds=PRAISE_REPLIES, reposts=6.0, english=0.0),
    Kind("launch.enthusiasm", "positive", "praise", "marketing", replies=0.5,
         reply_kinds=PRAISE_REPLIES, english=0.12),
    Kind("launch.question", "neutral", "question", "sales", replies=0.8,
         reply_kinds=QUESTION_REPLIES, care_reply=0.3, english=0.1),
    Kind("launch.purchase", "positive", "purchase_intent", "sales", replies=0.4,
         reply_kinds=PRAISE_REPLIES, care_reply=0.1, english=0.1),
    Kind("launch.criticism", "negative", "complaint", "product", replies=0.9,
         reply_kinds=(("reply.agree", 0.4), ("reply.banter", 0.6)), english=0.1),
    Kind("launch.news", "positive", "news", "pr", author="journalist", platforms=NEWS,
         viral=0.1, english=0.15),
    Kind("launch.video_official", "positive", "announcement", "none", author="official",
         platforms=VIDEO, english=0.0),
    Kind("launch.video_review", "positive", "review", "marketing", author="creator",
         platforms=VIDEO, english=0.2),
    # -- the competitor's price cut ---------------------------------------------------------
    Kind("pricecut.official", "positive", "announcement", "marketing", author="org",
         actors=("brisant",), platforms=OFFICIAL, replies=2.0, reply_kinds=PRAISE_REPLIES,
         reposts=3.0, english=0.0),
    Kind("pricecut.churn", "negative", "churn_risk", "sales", also=("brisant",), replies=0.7,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.3, english=0.05),
    Kind("pricecut.match", "neutral", "question", "sales", also=("brisant",), replies=0.6,
         reply_kinds=QUESTION_REPLIES, care_reply=0.35, english=0.05),
    Kind("pricecut.compare", "neutral", "comparison", "marketing", also=("brisant",),
         replies=0.9, reply_kinds=QUESTION_REPLIES, english=0.1),
    Kind("pricecut.skeptic", "negative", "comment", "marketing", actors=("brisant",),
         replies=0.5, reply_kinds=(("reply.agree", 0.5), ("reply.banter", 0.5)), english=0.05),
    Kind("pricecut.spam", "neutral", "spam", "none", author="bot", actors=("brisant",),
         platforms=(("mastodon", 0.4), ("bluesky", 0.6)), viral=1.0, english=0.0),
    Kind("pricecut.news", "neutral", "news", "marketing", author="journalist",
         actors=("brisant",), platforms=NEWS, viral=0.15, english=0.15),
    Kind("pricecut.video", "positive", "announcement", "marketing", author="org",
         actors=("brisant",), platforms=VIDEO, english=0.0),
    Kind("pricecut.video_compare", "neutral", "comparison", "marketing", author="creator",
         also=("brisant",), platforms=VIDEO, english=0.0),
    # -- the supplier's delivery problem ----------------------------------------------------
    Kind("supplier.delivery", "negative", "complaint", "care", replies=0.9,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.4, viral=0.01, english=0.05),
    Kind("supplier.question", "neutral", "question", "care", replies=0.7,
         reply_kinds=QUESTION_REPLIES, care_reply=0.45, english=0.05),
    Kind("supplier.defect", "negative", "bug_report", "product", also=("voltek",), replies=0.8,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.3, english=0.08),
    Kind("supplier.cancel", "negative", "churn_risk", "sales", replies=0.4,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.4, english=0.05),
    Kind("supplier.apology", "neutral", "announcement", "none", author="care",
         platforms=OFFICIAL, also=("voltek",), replies=2.0,
         reply_kinds=(("reply.followup_ko", 0.6), ("reply.banter", 0.4)), reposts=2.0,
         english=0.0),
    Kind("supplier.statement", "neutral", "announcement", "product", author="org",
         actors=("voltek",), also=("ondine",), platforms=OFFICIAL, replies=0.8,
         reply_kinds=(("reply.banter", 1.0),), english=0.3),
    Kind("supplier.news", "negative", "news", "pr", author="journalist", actors=("voltek",),
         also=("ondine",), platforms=NEWS, viral=0.1, english=0.2),
    Kind("supplier.video", "negative", "review", "product", author="creator", platforms=VIDEO,
         english=0.0),
    # -- employer brand and jobs ------------------------------------------------------------
    Kind("jobs.offer", "neutral", "job_offer", "none", author="hr", platforms=OFFICIAL,
         replies=0.5, reply_kinds=QUESTION_REPLIES, viral=0.25, reposts=1.5, english=0.0),
    Kind("jobs.interest", "neutral", "job_interest", "hr", replies=0.8,
         reply_kinds=QUESTION_REPLIES, english=0.08),
    Kind("jobs.application", "positive", "job_application", "hr", replies=0.4,
         reply_kinds=PRAISE_REPLIES, english=0.05),
    Kind("jobs.praise", "positive", "employer_review", "hr", replies=0.3,
         reply_kinds=PRAISE_REPLIES, english=0.05),
    Kind("jobs.criticism", "negative", "employer_review", "hr", replies=0.7,
         reply_kinds=(("reply.agree", 0.3), ("reply.banter", 0.7)), english=0.05),
    Kind("jobs.forum", "positive", "announcement", "none", author="hr", platforms=OFFICIAL,
         replies=0.6, reply_kinds=QUESTION_REPLIES, reposts=2.0, english=0.0),
    Kind("jobs.forum_visit", "positive", "job_interest", "hr", replies=0.3,
         reply_kinds=PRAISE_REPLIES, english=0.03),
    Kind("jobs.news", "neutral", "news", "pr", author="journalist", platforms=NEWS,
         english=0.0),
    Kind("jobs.video", "positive", "announcement", "none", author="official", platforms=VIDEO,
         english=0.0),
    # -- B2B prospects ----------------------------------------------------------------------
    Kind("b2b.rfq", "neutral", "request_for_quote", "sales", author="pro", replies=0.6,
         reply_kinds=QUESTION_REPLIES, care_reply=0.2, english=0.06),
    Kind("b2b.question", "neutral", "question", "sales", author="pro", replies=0.6,
         reply_kinds=QUESTION_REPLIES, care_reply=0.25, english=0.06),
    Kind("b2b.compare", "neutral", "comparison", "sales", author="pro", also=("alize",),
         replies=0.9, reply_kinds=QUESTION_REPLIES, english=0.05),
    Kind("b2b.complaint", "negative", "complaint", "care", author="pro", replies=0.4,
         reply_kinds=COMPLAINT_REPLIES, care_reply=0.5, english=0.0),
    Kind("b2b.news", "positive", "news", "sales", author="journalist", platforms=NEWS,
         english=0.0),
    # -- partners: the football club (FC Estuaire) and the streaming service (Cinéflux) ------
    Kind("club.announcement", "positive", "announcement", "none", author="official",
         also=("fc_estuaire",), platforms=OFFICIAL, replies=2.0, reply_kinds=PRAISE_REPLIES,
         reposts=4.0, english=0.0),
    Kind("club.partner_post", "positive", "announcement", "none", author="org",
         actors=("fc_estuaire",), also=("ondine",), platforms=OFFICIAL, replies=1.5,
         reply_kinds=PRAISE_REPLIES, reposts=3.0, english=0.0),
    Kind("club.fan", "positive", "praise", "marketing", actors=("fc_estuaire",),
         also=("ondine",), replies=0.5, reply_kinds=PRAISE_REPLIES, english=0.0),
    Kind("club.criticism", "negative", "comment", "marketing", also=("fc_estuaire",),
         replies=0.6, reply_kinds=(("reply.agree", 0.5), ("reply.banter", 0.5)), english=0.0),
    Kind("club.match", "neutral", "comment", "none", actors=("fc_estuaire",),
         replies=0.8, reply_kinds=(("reply.banter", 0.8), ("reply.agree", 0.2)), english=0.0),
    Kind("club.news", "positive", "news", "pr", author="journalist", actors=("fc_estuaire",),
         also=("ondine",), platforms=NEWS, english=0.0),
    Kind("club.video", "positive", "announcement", "none", author="org",
         actors=("fc_estuaire",), platforms=VIDEO, english=0.0),
    Kind("streaming.announcement", "positive", "announcement", "none", author="official",
         also=("cineflux",), platforms=OFFICIAL, replies=2.0, reply_kinds=PRAISE_REPLIES,
         reposts=4.0, english=0.0),
    Kind("streaming.partner_post", "positive", "announcement", "none", author="org",
         actors=("cineflux",), also=("ondine",), platforms=OFFICIAL, replies=1.5,
         reply_kinds=PRAISE_REPLIES, reposts=3.0, english=0.0),
    Kind("streaming.question", "neutral", "question", "sales", also=("cineflux",),
         replies=0.6, reply_kinds=QUESTION_REPLIES, care_reply=0.4, english=0.05),
    Kind("streaming.praise", "positive", "praise", "marketing", also=("cineflux",),
         replies=0.3, reply_kinds=PRAISE_REPLIES, english=0.08),
    Kind("streaming.news", "positive", "news", "pr", author="journalist", actors=("cineflux",),
         also=("ondine",), platforms=NEWS, english=0.1),
    Kind("streaming.video", "positive", "announcement", "none", author="org",
         actors=("cineflux",), also=("ondine",), platforms=VIDEO, english=0.0),
    # -- competitors, everyday --------------------------------------------------------------
    Kind("competitor.complaint", "negative", "complaint", "marketing",
         actors=("brisant", "alize", "triskel"), replies=0.7, reply_kinds=COMPLAINT_REPLIES,
         english=0.08),
    Kind("competitor.praise", "positive", "praise", "marketing",
         actors=("brisant", "alize", "triskel"), replies=0.3, reply_kinds=PRAISE_REPLIES,
         english=0.08),
    Kind("competitor.question", "neutral", "question", "marketing",
         actors=("brisant", "alize", "triskel"), replies=0.6, reply_kinds=QUESTION_REPLIES,
         english=0.08),
    Kind("competitor.switch", "positive", "purchase_intent", "sales",
         actors=("brisant", "alize", "triskel"), also=("ondine",), replies=0.6,
         reply_kinds=QUESTION_REPLIES, care_reply=0.3, english=0.05),
    Kind("competitor.promo", "positive", "announcement", "marketing", author="org",
         actors=("brisant", "alize", "triskel"), platforms=OFFICIAL, replies=0.8,
         reply_kinds=PRAISE_REPLIES, reposts=1.5, english=0.0),
    Kind("competitor.news", "neutral", "news", "marketing", author="journalist",
         actors=("brisant", "alize", "triskel"), platforms=NEWS, english=0.15),
    Kind("competitor.video", "positive", "announcement", "marketing", author="org",
         actors=("brisant", "alize", "triskel"), platforms=VIDEO, english=0.0),
    # -- noise ------------------------------------------------------------------------------
    Kind("noise.homonym", "neutral", "noise", "none", actors=("",), replies=0.4,
         reply_kinds=(("reply.banter", 1.0),), english=0.12),
    Kind("noise.unrelated", "neutral", "noise", "none", actors=("",), replies=0.4,
         reply_kinds=(("reply.banter", 1.0),), english=0.15),
    Kind("noise.spam", "neutral", "spam", "none", author="bot", actors=("",),
         platforms=(("mastodon", 0.4), ("bluesky", 0.45), ("youtube", 0.15)), viral=1.0,
         english=0.3),
    Kind("noise.news", "neutral", "noise", "none", author="journalist", actors=("",),
         platforms=NEWS, english=0.1),
    Kind("noise.video", "neutral", "noise", "none", author="creator", actors=("",),
         platforms=VIDEO, english=0.2),
)  # fmt: skip

KINDS = MappingProxyType({kind.key: kind for kind in _KINDS})
