"""SMS through an HTTP gateway: 46elks or a configurable generic adapter (see ``config``)."""

from portaat.crowds.transports.sms_http.transport import SmsTransport

__all__ = ["SmsTransport"]
