"""The run history: every check appends what it observed and decided; changes between runs are told."""
