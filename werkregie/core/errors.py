class DomainError(Exception):
    """A business rule refused a change; the message is Dutch and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
