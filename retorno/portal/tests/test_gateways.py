"""The real adapters against local servers: a fake of Twilio's Messages API (HTTP) and an SMTP
server (aiosmtpd). These are the only outside boundaries, so only they are stood in for."""

import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller

from retorno.portal.gateways import SmtpGateway, TwilioGateway
from retorno.portal.services import message_send
from retorno.testing.factories import make_person

pytestmark = pytest.mark.django_db


class FakeTwilio(BaseHTTPRequestHandler):
    received: list = []
    fail = False

    def do_POST(self):  # noqa: N802 - http.server's name
        body = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        FakeTwilio.received.append((self.path, self.headers["Authorization"], body))
        status = 400 if FakeTwilio.fail else 201
        answer = (
            {"code": 21211, "message": "Invalid 'To'"}
            if FakeTwilio.fail
            else {"sid": "SM123", "status": "queued"}
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(answer).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeTwilio)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.RETORNO_TWILIO_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.RETORNO_TWILIO_ACCOUNT_SID, settings.RETORNO_TWILIO_AUTH_TOKEN = "AC1", "secret"
    settings.RETORNO_TWILIO_FROM = "+15550001111"
    settings.RETORNO_SMS_GATEWAY = "twilio"
    FakeTwilio.received, FakeTwilio.fail = [], False
    yield FakeTwilio
    server.shutdown()


def test_twilio_receives_the_message_and_its_answer_is_recorded(twilio):
    person = make_person(phone_mx="6641234567")
    message = message_send(
        person=person, channel="sms", destination=person.phone_mx, purpose="sign_in", body="Hola"
    )
    path, auth, body = twilio.received[0]
    assert path == "/2010-04-01/Accounts/AC1/Messages.json" and auth.startswith("Basic ")
    assert body == {"To": ["+526641234567"], "From": ["+15550001111"], "Body": ["Hola"]}
    assert (message.status, message.gateway, message.gateway_ref) == ("sent", "twilio", "SM123")
    twilio.fail = True
    failed = message_send(
        person=person, channel="whatsapp", destination="+1 555 222 3333", purpose="sign_in", body="x"
    )
    assert twilio.received[-1][2]["To"] == ["whatsapp:+15552223333"]
    assert failed.status == "failed" and "HTTP 400" in failed.error


def test_an_unreachable_gateway_fails_without_an_exception(settings):
    settings.RETORNO_TWILIO_API_BASE = "http://127.0.0.1:9"
    assert not TwilioGateway().send("+526641234567", "x").ok


def test_smtp_delivers_to_a_real_server(settings):
    class Sink:
        messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            Sink.messages.append((envelope.rcpt_tos, envelope.content.decode()))
            return "250 OK"

    with socket.socket() as probe:  # a free port (aiosmtpd's controller needs one named)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        assert SmtpGateway().send("rosa@example.org", "Su código es 123456", subject="Retorno").ok
    finally:
        controller.stop()
    assert Sink.messages[0][0] == ["rosa@example.org"] and "123456" in Sink.messages[0][1]
