"""evac: citizen evacuation coordination."""

__version__ = "0.1.0"
