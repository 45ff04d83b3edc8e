"""The Textual study app. It uses only the public API (`trainer.collection`), never SQL."""
