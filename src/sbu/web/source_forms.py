"""Forms rendered from a connector's settings model (Settings → Sources).

Each connector declares a pydantic model for a source's configuration
(:attr:`sbu.connectors.base.Connector.settings_model`). :func:`form_fields` turns that model into
a list of :class:`FormField` (what an HTML form shows for each field) and :func:`parse_form`
turns the submitted text back into the dict that
:func:`sbu.listening.services.validate_source_config` validates: numbers, booleans and lists are
converted, and empty optional fields are left out so that the model's default applies.

The kind of input follows the field's type: ``SecretStr`` → a password input (a credential is
never put back into a page), ``bool`` → a checkbox, ``int``/``float`` → a number, ``Literal``
or an ``Enum`` → a select, a list of strings → a textarea with one value per line, a field named
``url`` (or ``..._url``) or typed as a pydantic URL → a URL input, anything else → a text input.
The label is the field's ``title`` or its name in words; the help text is its ``description``,
or else the ``#:`` comment written above the field in the model's source.

Form inputs are named ``config.<field>`` so that a connector field called ``name`` cannot clash
with the source's own fields.
"""

from __future__ import annotations

import inspect
import math
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from annotated_types import Ge, Gt, Le, Lt, MaxLen
from pydantic import AnyUrl, BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, Url

from sbu.core.credentials import MASK, mask
from sbu.web.forms import FormError, Gettext

FieldKind = Literal["text", "url", "number", "checkbox", "select", "password", "lines"]
#: Prefix of the form inputs of a connector's fields.
PREFIX = "config."
#: The longest text accepted in one field of a source form (a list counts as a whole).
MAX_VALUE_CHARS = 20_000
_WORDS = {"url": "URL", "id": "ID", "api": "API", "rss": "RSS", "http": "HTTP"}
_COMMENT = re.compile(r"^\s*#:\s?(.*)$")
_ATTRIBUTE = re.compile(r"^\s*(\w+)\s*:")
FormValue = str | bool


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a source form, described from a settings model's field."""

    name: str
    label: str
    kind: FieldKind
    required: bool
    #: The default as the form shows it ("" for none; a bool for a checkbox).
    default: FormValue
    help: str | None = None
    #: The choices of a select.
    choices: tuple[str, ...] = ()
    #: Whether the field accepts "nothing" (None): a select then offers an empty choice.
    nullable: bool = False
    #: Number inputs: whole numbers only, and the bounds the model declares.
    integer: bool = True
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None

    @property
    def input_name(self) -> str:
        return PREFIX + self.name

    @property
    def input_id(self) -> str:
        return "cfg-" + self.name


def form_fields(model: type[BaseModel]) -> list[FormField]:
    """The inputs of a form for ``model``, in the order of its fields."""
    comments = attribute_comments(model)
    return [
        _field(name, info, comments.get(name))
        for name, info in model.model_fields.items()
        if not info.exclude
    ]


def _field(name: str, info: FieldInfo, comment: str | None) -> FormField:
    annotation, nullable = _strip_optional(info.annotation)
    kind, choices, integer = _kind(name, annotation)
    minimum, maximum, max_length = _bounds(info, integer)
    return FormField(
        name=name,
        label=info.title or label_of(name),
        kind=kind,
        required=info.is_required(),
        default=_default(info, kind),
        help=info.description or comment,
        choices=choices,
        nullable=nullable,
        integer=integer,
        minimum=minimum,
        maximum=maximum,
        max_length=max_length,
    )


def label_of(name: str) -> str:
    """``replay_window_seconds`` → ``Replay window seconds``; ``client_id`` → ``Client ID``."""
    words = [_WORDS.get(word, word) for word in name.split("_") if word]
    if not words:
        return name
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); other unions stay as they are."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(typing.get_args(annotation))
        return annotation, type(None) in typing.get_args(annotation)
    return annotation, False


def _kind(name: str, annotation: Any) -> tuple[FieldKind, tuple[str, ...], bool]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(name, typing.get_args(annotation)[0])
    if annotation is SecretStr:
        return "password", (), True
    if annotation is bool:
        return "checkbox", (), True
    if annotation is int or annotation is float:
        return "number", (), annotation is int
    if origin is Literal:
        return "select", tuple(str(value) for value in typing.get_args(annotation)), True
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "select", tuple(str(member.value) for member in annotation), True
    if origin in (list, tuple, set, frozenset):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        if all(arg is str for arg in args):
            return "lines", (), True
        return "text", (), True
    if isinstance(annotation, type) and issubclass(annotation, AnyUrl | Url):
        return "url", (), True
    if annotation is str and (name == "url" or name.endswith("_url")):
        return "url", (), True
    return "text", (), True


def _bounds(info: FieldInfo, integer: bool) -> tuple[float | None, float | None, int | None]:
    """The bounds a model declares with Field(ge=, gt=, le=, lt=, max_length=)."""
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    for item in info.metadata:
        if isinstance(item, Ge):
            minimum = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, Gt) and integer:  # a float's strict bound has no input form
            minimum = float(item.gt) + 1  # type: ignore[arg-type]
        elif isinstance(item, Le):
            maximum = float(item.le)  # type: ignore[arg-type]
        elif isinstance(item, Lt) and integer:
            maximum = float(item.lt) - 1  # type: ignore[arg-type]
        elif isinstance(item, MaxLen):
            max_length = item.max_length
    return minimum, maximum, max_length


def _default(info: FieldInfo, kind: FieldKind) -> FormValue:
    if kind == "password":
        return ""  # a default credential is never shown either
    if info.default is PydanticUndefined and info.default_factory is None:
        return False if kind == "checkbox" else ""
    value = info.get_default(call_default_factory=True, validated_data={})
    return display_value(kind, value)


def display_value(kind: FieldKind, value: Any) -> FormValue:
    """A configuration value as its input shows it."""
    if kind == "checkbox":
        return bool(value)
    if kind == "password" or value is None:
        return ""
    if kind == "lines" and isinstance(value, list | tuple | set | frozenset):
        return "\n".join(str(item) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def attribute_comments(model: type[BaseModel]) -> dict[str, str]:
    """The ``#:`` comments written above the fields of ``model`` (and of its bases)."""
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        try:
            source = inspect.getsource(cls)
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        for line in source.splitlines():
            comment = _COMMENT.match(line)
            if comment:
                pending.append(comment.group(1).strip())
                continue
            attribute = _ATTRIBUTE.match(line)
            if attribute and pending and attribute.group(1) in cls.model_fields:
                found[attribute.group(1)] = " ".join(pending).replace("``", "")
            pending = []
    return found


# -- values ------------------------------------------------------------------------------------


def form_values(fields: list[FormField], config: Mapping[str, Any] | None) -> dict[str, FormValue]:
    """What the form shows: a stored configuration's values (credentials never), or the
    defaults of a new source."""
    values: dict[str, FormValue] = {}
    for field in fields:
        if config is None or field.name not in config:
            values[field.name] = field.default
        else:
            values[field.name] = display_value(field.kind, config[field.name])
    return values


def submitted_values(fields: list[FormField], form: Mapping[str, Any]) -> dict[str, FormValue]:
    """What the form shows again after an error: what was typed, except credentials."""
    values: dict[str, FormValue] = {}
    for field in fields:
        raw = form.get(field.input_name)
        text = raw if isinstance(raw, str) else ""
        if field.kind == "checkbox":
            values[field.name] = bool(text)
        elif field.kind == "password":
            values[field.name] = ""
        else:
            values[field.name] = text[:MAX_VALUE_CHARS]
    return values


def secret_masks(fields: list[FormField], config: Mapping[str, Any] | None) -> dict[str, str]:
    """The masks of the saved credentials (``••••••••a1b2``), for the inputs' placeholders."""
    masks: dict[str, str] = {}
    for field in fields:
        value = (config or {}).get(field.name)
        if field.kind != "password" or value is None or value == "":
            continue
        # The stored configuration holds masks; anything else is masked here all the same.
        text = value if isinstance(value, str) else ""
        masks[field.name] = text if text.startswith(MASK) else mask(text) if text else MASK
    return masks


def parse_form(ui: Gettext, fields: list[FormField], form: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration the form describes, for validate_source_config; :class:`FormError`
    with a sentence in the page's language when a value cannot be read.

    Empty optional fields are left out (the model's default applies), and so are empty
    credentials (the saved one is kept when editing).
    """
    config: dict[str, Any] = {}
    for field in fields:
        raw = form.get(field.input_name)
        text = raw if isinstance(raw, str) else ""
        if len(text) > MAX_VALUE_CHARS:
            message = ui.gettext("%(field)s is too long: keep it under %(count)s characters.")
            raise FormError(message % {"field": field.label, "count": f"{MAX_VALUE_CHARS:,}"})
        if field.kind == "checkbox":
            config[field.name] = bool(text)
        elif field.kind == "password":
            if text:
                config[field.name] = text
        elif field.kind == "lines":
            items = [line.strip() for line in text.splitlines() if line.strip()]
            if items or field.required:
                config[field.name] = items
        elif field.kind == "number":
            if text.strip():
                config[field.name] = _number(ui, field, text.strip())
        elif text.strip():
            config[field.name] = text.strip()
    return config


def _number(ui: Gettext, field: FormField, text: str) -> int | float:
    if field.integer:
        if re.fullmatch(r"[+-]?\d{1,15}", text):
            return int(text)
        message = ui.gettext("%(field)s must be a whole number, such as %(example)s.")
    else:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
        message = ui.gettext("%(field)s must be a number, such as %(example)s.")
    example = display_value("number", field.default) or "10"
    raise FormError(message % {"field": field.label, "example": example})
