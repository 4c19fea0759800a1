"""Placeholder until the check is written."""

from app.core.checks import Check, register


@register
class WebCheck(Check):
    kind = "web"

    def configure(self, params):
        params._read.update(params.data)

    async def run(self, ctx):
        raise NotImplementedError("web")

@register
class CaDownloadCheck(Check):
    kind = "ca-download"

    def configure(self, params):
        params._read.update(params.data)

    async def run(self, ctx):
        raise NotImplementedError("ca-download")
