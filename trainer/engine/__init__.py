"""The role-play engine: pure Python, no Textual, Rich or network imports.

The TUI and the CLI are two front ends over it; buyer and assessor are interfaces with
offline and language-model implementations that the engine cannot tell apart.
"""
