"""The Qt-free core: profile, check model, runner, checks and report writers."""
