"""Visitors that fill in the consultation form, on a small HTTP/1.1 client over asyncio streams.

Used by the fault drills and the benchmark. It runs in the test or benchmark
process, outside the measured servers, and needs only the standard library.
A stream is open-loop: submission i starts at t0 + i / rate whatever happened
to the ones before it, so a slow server cannot slow the arrivals down and hide
its own latency (no coordinated omission).
"""

import asyncio
import contextlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from tests.support.processes import wait_for

FORM_PATH = "/consultation/"
THANKS_PREFIX = "/consultation/thanks/"
# Words of templates/503.html: what a person sees while the database is down.
FRIENDLY_UNAVAILABLE = "ただいまサービスを一時的にご利用いただけません"
INTERESTS = ("ai", "web3", "both")


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


async def _read_body(reader: asyncio.StreamReader, headers: list[tuple[str, str]]) -> bytes:
    lookup = {key.lower(): value for key, value in headers}
    if lookup.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readline()
    if "content-length" in lookup:
        return await reader.readexactly(int(lookup["content-length"]))
    return await reader.read()


async def fetch(
    host: str,
    port: int,
    method: str,
    target: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30,
) -> Response:
    """One request on a fresh connection (Connection: close), the way a new visitor arrives."""

    async def exchange() -> Response:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
            lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
            if body is not None:
                lines.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
            await writer.drain()
            status_line = (await reader.readline()).decode("latin-1")
            if not status_line:
                raise ConnectionError("the server closed the connection without answering")
            status = int(status_line.split()[1])
            response_headers = []
            while (line := (await reader.readline()).decode("latin-1").rstrip("\r\n")) != "":
                name, _, value = line.partition(":")
                response_headers.append((name.strip(), value.strip()))
            content = b"" if method == "HEAD" else await _read_body(reader, response_headers)
            return Response(status, response_headers, content)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    return await asyncio.wait_for(exchange(), timeout)


class _HiddenInputs(HTMLParser):
    """The hidden inputs of the POST form (CSRF token and any signed timestamp)."""

    def __init__(self):
        super().__init__()
        self.in_post_form = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.in_post_form = True
        elif (
            tag == "input"
            and self.in_post_form
            and attributes.get("type") == "hidden"
            and attributes.get("name")
        ):
            self.fields[attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False


def hidden_inputs(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields


class Visitor:
    """One browser: its own cookies, the form's hidden fields, one submission at a time."""

    def __init__(self, host: str, port: int, *, https_proxy: bool = True):
        self.host = host
        self.port = port
        self.cookies: dict[str, str] = {}
        self.hidden: dict[str, str] = {}
        # As behind the load balancer: it terminates TLS and says so in X-Forwarded-Proto.
        self.scheme = "https" if https_proxy else "http"
        self.https_proxy = https_proxy

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"User-Agent": "plusweb3-loadgen/1", "Accept-Language": "ja"}
        if self.https_proxy:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**headers, **(extra or {})}

    def _remember_cookies(self, response: Response) -> None:
        for header in response.all("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    async def get(self, target: str, *, timeout: float = 30) -> Response:
        response = await fetch(
            self.host, self.port, "GET", target, headers=self._headers(), timeout=timeout
        )
        self._remember_cookies(response)
        return response

    async def post(self, target: str, fields: dict[str, str], *, timeout: float = 30) -> Response:
        body = urlencode(fields).encode()
        headers = self._headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}{target}",
            }
        )
        response = await fetch(
            self.host, self.port, "POST", target, headers=headers, body=body, timeout=timeout
        )
        self._remember_cookies(response)
        return response

    async def open_form(self, target: str = FORM_PATH) -> Response:
        """GET the form, keep its cookies and hidden fields (the CSRF token among them)."""
        response = await self.get(target)
        if response.status == HTTPStatus.OK:
            self.hidden = hidden_inputs(response.text)
        return response


@dataclass
class Submission:
    """What one candidate saw."""

    index: int
    email: str
    outcome: str = "pending"
    post_status: int | None = None
    post_seconds: float | None = None
    page_status: int | None = None
    started_at: float = 0.0
    detail: str = ""

    @property
    def saw_thanks(self) -> bool:
        return self.outcome == "thanks"


def classify_unavailable(response: Response) -> str:
    """A 503 must be the friendly Japanese page, never a trace."""
    text = response.text
    if FRIENDLY_UNAVAILABLE in text and "Traceback" not in text:
        return "unavailable"
    return "unfriendly"


def consultation_fields(index: int, email: str) -> dict[str, str]:
    return {
        "name": f"検証 太郎{index}",
        "name_kana": "ケンショウ タロウ",
        "email": email,
        "interest": INTERESTS[index % len(INTERESTS)],
        "consent": "on",
        "message": "負荷試験の送信です。",
        "website": "",
    }


async def submit(visitor: Visitor, submission: Submission, *, target: str = FORM_PATH) -> None:
    """POST the form as this visitor and follow the redirect to the thank-you page."""
    fields = {**visitor.hidden, **consultation_fields(submission.index, submission.email)}
    started = time.perf_counter()
    try:
        response = await visitor.post(target, fields)
    except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
        submission.outcome, submission.detail = "refused", repr(error)
        return
    submission.post_seconds = time.perf_counter() - started
    submission.post_status = response.status
    location = response.header("Location") or ""
    if response.status in (HTTPStatus.FOUND, HTTPStatus.SEE_OTHER):
        parts = urlsplit(location)
        page = parts.path + (f"?{parts.query}" if parts.query else "")
        if not parts.path.startswith(THANKS_PREFIX):
            submission.outcome, submission.detail = "redirected", location
            return
        try:
            thanks = await visitor.get(page)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            submission.outcome, submission.detail = "thanks_lost", repr(error)
            return
        submission.page_status = thanks.status
        if thanks.status == HTTPStatus.OK:
            submission.outcome = "thanks"
        elif thanks.status == HTTPStatus.SERVICE_UNAVAILABLE:
            submission.outcome = "thanks_" + classify_unavailable(thanks)
        else:
            submission.outcome = f"thanks_{thanks.status}"
    elif response.status == HTTPStatus.SERVICE_UNAVAILABLE:
        submission.outcome = classify_unavailable(response)
    elif response.status == HTTPStatus.OK:
        # The form came back: a validation error, which a valid payload must never get.
        submission.outcome, submission.detail = "invalid", response.text[-2000:]
    elif response.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        submission.outcome, submission.detail = "error", response.text[:2000]
    else:
        submission.outcome = f"status_{response.status}"
        submission.detail = response.text[:2000]


class FormStream:
    """An open-loop stream of consultation submissions at a fixed rate, in a background thread.

    Every candidate opens the form before the stream starts (each rendering carries a
    fresh signed form token, and a replayed token is a double-click, not a new lead), then
    submits it at its arrival time. So the stream times the POSTs alone, and a fault that
    starts mid-stream hits people who already have the form on screen.

    with FormStream(host, port, count=300, rate=10, tag="kill") as stream:
        stream.wait_started(100)
        ...inject a fault...
    stream.submissions  # one Submission per arrival
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        count: int,
        rate: float,
        tag: str,
        concurrency: int = 8,
        timeout: float = 120,
    ):
        self.host = host
        self.port = port
        self.count = count
        self.rate = rate
        self.concurrency = concurrency
        self.timeout = timeout
        self.submissions = [
            Submission(index=i, email=f"{tag}-{i:05d}@example.com") for i in range(count)
        ]
        self.opened = 0
        self.started = 0
        self.finished = 0
        self.elapsed = 0.0
        self.error: BaseException | None = None
        # Called once every form is open, just before the first submission.
        self.on_start: Callable[[], None] | None = None
        self._thread = threading.Thread(target=self._main, name=f"stream-{tag}", daemon=True)

    def __enter__(self) -> "FormStream":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.join()

    def join(self) -> list[Submission]:
        self._thread.join(timeout=self.count / self.rate + 2 * self.timeout + 60)
        if self._thread.is_alive():
            raise TimeoutError("the submission stream did not finish")
        if self.error is not None:
            raise self.error
        return self.submissions

    def wait_started(self, count: int, *, timeout: float | None = None) -> None:
        """Wait until `count` submissions have been sent (the stream keeps going)."""
        wait_for(
            lambda: self.started >= count or self.error is not None,
            timeout=timeout or self.timeout + count / self.rate + 60,
            message=f"only {self.started} of {count} submissions were sent",
        )

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
        except BaseException as error:  # re-raised in join(), in the test's thread
            self.error = error

    async def _open(self, gate: asyncio.Semaphore) -> Visitor:
        visitor = Visitor(self.host, self.port)
        deadline = time.monotonic() + self.timeout
        async with gate:
            while True:
                with contextlib.suppress(OSError, TimeoutError, asyncio.IncompleteReadError):
                    response = await visitor.open_form()
                    if response.status == HTTPStatus.OK and visitor.hidden:
                        self.opened += 1
                        return visitor
                if time.monotonic() > deadline:
                    raise TimeoutError("could not open the consultation form")
                # A person reloads a page that did not load; so do we, not too often.
                await asyncio.sleep(0.5)

    async def _run(self) -> None:
        gate = asyncio.Semaphore(self.concurrency)
        visitors = await asyncio.gather(*(self._open(gate) for _ in self.submissions))

        async def one(visitor: Visitor, submission: Submission) -> None:
            try:
                await submit(visitor, submission)
            finally:
                self.finished += 1

        if self.on_start is not None:
            self.on_start()
        start = time.perf_counter()
        tasks = []
        for visitor, submission in zip(visitors, self.submissions, strict=True):
            delay = start + submission.index / self.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            submission.started_at = time.perf_counter() - start
            tasks.append(asyncio.create_task(one(visitor, submission)))
            self.started += 1
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=self.timeout)
        self.elapsed = time.perf_counter() - start


def percentile(values: list[float], fraction: float) -> float:
    """Linear-interpolated percentile (fraction in 0..1) of a non-empty list."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Outcomes:
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, submissions: list[Submission]) -> "Outcomes":
        counts: dict[str, int] = {}
        for submission in submissions:
            counts[submission.outcome] = counts.get(submission.outcome, 0) + 1
        return cls(counts)

    def __getitem__(self, outcome: str) -> int:
        return self.counts.get(outcome, 0)
