"""The board's parts: one small class each, holding state and rules, publishing changes."""
