"""Natural-language processing of posts that needs no service: language identification."""
