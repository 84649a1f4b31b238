from django.apps import AppConfig


class PortaatConfig(AppConfig):
    name = "portaat"

    def ready(self) -> None:
        # registers the deployment checks of `portaat check --deploy`
        from portaat import security  # noqa: F401
