"""Reading what a worker's file email backend wrote (EMAIL_FILE_PATH), parsed."""

from email import message_from_bytes, policy

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def mailbox(mail_dir):
    """Every email the worker wrote with the file backend, parsed."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(message_from_bytes(chunk, policy=policy.default))
    return messages


def mail_to(mail_dir, address, subject_part=""):
    return [
        message
        for message in mailbox(mail_dir)
        if address in message["To"] and subject_part in message["Subject"]
    ]
