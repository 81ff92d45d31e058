"""secretome: evidence lookup for the therapeutic secretome of post-partum MSCs."""

__version__ = "0.1.0"
