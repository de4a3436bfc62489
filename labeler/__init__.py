"""labeler: annotate news articles with entities, claims and attributions."""

__version__ = "0.1.0"
