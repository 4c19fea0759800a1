"""Placeholder until the check is written."""

from app.core.checks import Check, register


@register
class IceCheck(Check):
    kind = "ice"

    def configure(self, params):
        params._read.update(params.data)

    async def run(self, ctx):
        raise NotImplementedError("ice")
