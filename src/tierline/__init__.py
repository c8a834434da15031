"""Tierline: a self-hosted subscription plan and billing service."""

__version__ = "0.1.0"
