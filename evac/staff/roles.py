"""The staff roles, apart from the table models so that the command line can offer
them without importing the database layer."""

from enum import StrEnum


class Role(StrEnum):
    officer = "officer"
    coordinator = "coordinator"
    admin = "admin"
