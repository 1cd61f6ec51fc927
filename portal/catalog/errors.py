"""Errors of the ingest path that a person can act on."""


class IngestError(ValueError):
    """A table could not be read or stored; says what is wrong and where.

    `row` is 1-based as a person counts lines in the file (header lines included),
    `column` is the column's name as written in the file.
    """

    def __init__(self, message: str, *, filename: str | None = None,
                 row: int | None = None, column: str | None = None):
        self.message = message
        self.filename = filename
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.filename:
            where.append(self.filename)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message
