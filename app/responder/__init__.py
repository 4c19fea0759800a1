"""The responder: the server an administrator runs next to the PBX for UDP evidence."""
