"""The Textual front end. Import it only where the app is opened, so the CLI starts without Textual."""
