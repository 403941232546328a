"""`make run` prints emails a newcomer can read, Japanese included."""

import io

from django.core.mail import EmailMultiAlternatives

from config.mail import ReadableConsoleEmailBackend


def test_console_email_shows_japanese_subject_and_body_as_text():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="【Plus Web3】受付番号 PW-7K3M-9QXA",
        body="山田 太郎 様\nお申し込みを受け付けました。",
        from_email="noreply@plusweb3.example",
        to=["taro@example.com"],
    )
    message.attach_alternative("<p>お申し込みを受け付けました。</p>", "text/html")
    sent = ReadableConsoleEmailBackend(stream=stream).send_messages([message])
    output = stream.getvalue()
    assert sent == 1
    assert "Subject: 【Plus Web3】受付番号 PW-7K3M-9QXA" in output
    assert "お申し込みを受け付けました。" in output
    assert "[+ text/html]" in output
