"""Recommenders that propose spans and relations: rules first, models trained in the loop later."""
