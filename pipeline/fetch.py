"""Fetching a page politely: robots.txt, a delay per host, retries with back-off, a size
limit, redirects followed and recorded, HTML and PDF only.

- robots.txt of each host is read once (protego) and obeyed for the URL and for every
  redirect; one that fails with a server error counts as "disallow all" (RFC 9309), one
  that is missing (4xx) as "allow all";
- requests to one host are spaced by `Policy.host_delay`, or the site's Crawl-delay if
  longer;
- 429 and 5xx answers, timeouts and dropped connections are retried with back-off,
  honouring `Retry-After` up to `Policy.max_wait`; loops of redirects are detected;
- the content type is checked before the body is read, and the bytes are sniffed.

Every failure is a FetchError with a stable problem code. `Fetcher` takes its clock,
sleep and wall clock as parameters, so tests run without waiting real seconds.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from extractors.document import sniff_format
from schemas.problems import CATALOGUE


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("careerfacts")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


USER_AGENT = f"careerfacts/{_version()} (labour-market research; honours robots.txt)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
UNDECLARED = frozenset({"", "application/octet-stream", "binary/octet-stream",
                        "application/download", "application/force-download", "text/plain"})
"""Types that say nothing about the page: the bytes decide (a PDF served as
octet-stream, an HTML page served as text/plain)."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB must be parsed


@dataclass(frozen=True)
class Policy:
    """How politely and how patiently pages are fetched. Times in seconds, sizes in bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence while a response arrives
    total_timeout: float = 120.0  # longest time to read one response body
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 3  # further attempts after a 429/5xx, a timeout or a dropped connection
    backoff: float = 1.0  # first wait between attempts; doubles each time
    max_wait: float = 60.0  # the longest Retry-After (or Crawl-delay) honoured
    host_delay: float = 1.0  # between two requests to one host
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Page:
    """A page as fetched: the bytes and what the server said about them."""

    url: str  # as asked for
    final_url: str  # after redirects
    redirects: tuple[str, ...]  # "301 http://…" for each hop, in order
    status: int
    content_type: str
    etag: str
    last_modified: str
    body: bytes
    format: str  # html | pdf


@dataclass(frozen=True)
class NotModified:
    """A 304: the page is as it was at the capture whose validators were sent."""

    url: str
    final_url: str


class FetchError(Exception):
    """A fetch that failed; `code` is a problem code of the catalogue."""

    def __init__(self, code: str, detail: str, retry: bool = False):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.retry = retry  # worth another attempt


def url_problem(url: str) -> str:
    """Why `url` is not one that can be fetched ("" when it is): only http:// and
    https:// URLs naming a host are.

    >>> url_problem("https://www.bls.gov/oes/current/oes292072.htm"), url_problem("not-a-url")
    ('', 'it is not an http:// or https:// URL')
    >>> url_problem("http://[::1/mrs")
    'it is not a URL (Invalid IPv6 URL)'
    """
    try:
        parts = urlsplit(url)
        parts.port  # raises for a port that is not a number from 0 to 65535
    except ValueError as exc:
        return f"it is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "it is not an http:// or https:// URL"
    return ""


def http_error_code(status: int) -> str:
    """The stable problem code of an HTTP error status.

    >>> http_error_code(404), http_error_code(599)
    ('capture-http-404', 'capture-http-status')
    """
    code = f"capture-http-{status}"
    return code if code in CATALOGUE else "capture-http-status"


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds a `Retry-After` header asks to wait: a number of seconds or an HTTP date.

    >>> now = dt.datetime(2026, 3, 2, 12, 0, 0, tzinfo=dt.timezone.utc)
    >>> retry_after("120", now), retry_after("Mon, 02 Mar 2026 12:00:30 GMT", now), retry_after("soon", now)
    (120.0, 30.0, None)
    """
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+", value):  # str.isdigit() would take "²"
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def media_type(content_type: str) -> str:
    """'text/html; charset=utf-8' -> 'text/html'."""
    return content_type.split(";", 1)[0].strip().lower()


def page_format(content_type: str, body: bytes) -> str:
    """`html` or `pdf` from the declared type checked against the bytes; FetchError
    ("capture-unsupported-content-type") for anything else.

    >>> page_format("application/octet-stream", b"%PDF-1.7 ..."), page_format("text/html", b"<p>Pay")
    ('pdf', 'html')
    """
    declared = media_type(content_type)
    sniffed = sniff_format(body)
    if declared in PDF_TYPES:
        if sniffed != "pdf":
            raise FetchError("capture-unsupported-content-type",
                             f"declared {declared} but the body does not start like a PDF")
        return "pdf"
    if declared in HTML_TYPES:
        if sniffed in ("html", "pdf"):
            return sniffed
        if sniffed == "text" and b"<" in body[:4096]:
            return "html"  # an HTML fragment without <html> or <body>
        raise FetchError("capture-unsupported-content-type",
                         f"declared {declared} but the body is not HTML")
    if declared in UNDECLARED and sniffed in ("html", "pdf"):
        return sniffed
    shown = declared or "no content type"
    raise FetchError("capture-unsupported-content-type",
                     f"{shown}{' that is neither HTML nor PDF' if declared in UNDECLARED else ''}"
                     "; only HTML pages and PDFs are captured")


class Fetcher:
    """Fetches pages politely: robots.txt, per-host delay, retries, size limit.

    `clock` (monotonic seconds), `sleep` and `now` (UTC datetime) are parameters so
    that tests can run on a fake clock.
    """

    def __init__(self, policy: Policy = Policy(), *, session=None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)):
        import requests  # only the capture command pays for it

        self.policy = policy
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = policy.user_agent
        self.clock, self.sleep, self.now = clock, sleep, now
        self._robots: dict[str, object] = {}  # scheme://host -> Protego, or (code, detail)
        self._last: dict[str, float] = {}  # host -> when its last request ended

    # --- politeness -----------------------------------------------------------------------

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.sleep(seconds)

    def _space(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None:
            self._wait(last + delay - self.clock())

    def _delay(self, origin: str) -> float:
        robots = self._robots.get(origin)
        crawl = getattr(robots, "crawl_delay", None)
        asked = crawl(self.policy.user_agent) if crawl else None
        return max(self.policy.host_delay, min(asked or 0.0, self.policy.max_wait))

    def _robots_for(self, origin: str):
        if origin in self._robots:
            return self._robots[origin]
        import requests
        from protego import Protego

        host = urlsplit(origin).netloc
        self._space(host, self.policy.host_delay)
        try:
            response = self.session.get(f"{origin}/robots.txt", stream=True,
                                        timeout=(self.policy.connect_timeout,
                                                 self.policy.read_timeout))
            status = response.status_code
            text = b"".join(self._chunks(response, ROBOTS_MAX_BYTES, truncate=True)).decode(
                "utf-8", errors="replace") if status < 300 else ""
            response.close()
        except requests.Timeout as exc:
            robots = ("capture-timeout", f"{origin}/robots.txt: no answer ({_short(exc)})")
        except FetchError as exc:
            robots = (exc.code, f"{origin}/robots.txt: {exc.detail}")
        except requests.RequestException as exc:
            robots = ("capture-connection-failed", f"{origin} cannot be reached ({_short(exc)})")
        else:
            if 200 <= status < 300:
                robots = Protego.parse(text)
            elif status == 429 or status >= 500:
                robots = ("capture-robots-unreachable",
                          f"{origin}/robots.txt answered {status}; a site whose robots.txt "
                          "fails is treated as disallowing every page")
            else:  # missing or forbidden: no rules (RFC 9309, 2.3.1.3)
                robots = Protego.parse("")
        finally:
            self._last[host] = self.clock()
        self._robots[origin] = robots
        return robots

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        robots = self._robots_for(f"{parts.scheme}://{parts.netloc}")
        if isinstance(robots, tuple):
            raise FetchError(*robots)
        if not robots.can_fetch(url, self.policy.user_agent):
            raise FetchError("capture-robots-disallowed",
                             f"{parts.scheme}://{parts.netloc}/robots.txt disallows "
                             f"{parts.path or '/'} for {self.policy.user_agent.split()[0]}")

    # --- fetching -------------------------------------------------------------------------

    def fetch(self, url: str, validators: dict[str, str] | None = None) -> Page | NotModified:
        """The page at `url` after redirects, or NotModified; raises FetchError."""
        wrong = url_problem(url)
        if wrong:
            raise FetchError("capture-invalid-url", wrong)
        headers = {}
        if validators and validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators and validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        seen = [url]
        redirects: list[str] = []
        current = url
        while True:
            self._check_robots(current)
            response, body = self._attempts(current, headers)
            status = response.status_code
            if status in REDIRECT_STATUSES and response.headers.get("Location"):
                target = urljoin(current, response.headers["Location"])
                redirects.append(f"{status} {target}")
                if target in seen:
                    raise FetchError("capture-redirect-loop",
                                     "redirects lead back to " + target + " (" +
                                     " → ".join(seen + [target]) + ")")
                if len(redirects) > self.policy.max_redirects:
                    raise FetchError("capture-too-many-redirects",
                                     f"more than {self.policy.max_redirects} redirects")
                seen.append(target)
                current = target
                continue
            if status == 304:
                return NotModified(url, current)
            if not 200 <= status < 300:
                raise FetchError(http_error_code(status), f"{status} {response.reason or ''}".strip())
            if not body:
                raise FetchError("capture-empty", "")
            content_type = response.headers.get("Content-Type", "")
            return Page(url, current, tuple(redirects), status, content_type,
                        response.headers.get("ETag", ""),
                        response.headers.get("Last-Modified", ""), body,
                        page_format(content_type, body))

    def _attempts(self, url: str, headers: dict[str, str]):
        """(response, body) of one URL, retrying what is worth retrying."""
        host = urlsplit(url).netloc
        origin = f"{urlsplit(url).scheme}://{host}"
        attempt = 0
        while True:
            self._space(host, self._delay(origin))
            try:
                response, body = self._once(url, headers)
                failure = None
                if response.status_code in RETRY_STATUSES:
                    failure = FetchError(http_error_code(response.status_code),
                                         f"{response.status_code} {response.reason or ''}".strip(),
                                         retry=True)
            except FetchError as exc:
                response, failure = None, exc
            finally:
                self._last[host] = self.clock()
            if failure is None:
                return response, body
            if not failure.retry or attempt >= self.policy.retries:
                if attempt:
                    failure.detail += f" (after {attempt + 1} attempts)"
                raise failure
            asked = retry_after(response.headers.get("Retry-After"), self.now()) \
                if response is not None else None
            wait = asked if asked is not None else self.policy.backoff * 2 ** attempt
            if wait > self.policy.max_wait:
                failure.detail += (f"; the site asks to wait {wait:.0f} s (Retry-After), longer "
                                   f"than {self.policy.max_wait:.0f} s: try again later")
                raise failure
            self._wait(wait)
            attempt += 1

    def _once(self, url: str, headers: dict[str, str]):
        import requests

        try:
            response = self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                        timeout=(self.policy.connect_timeout,
                                                 self.policy.read_timeout))
        except requests.Timeout as exc:
            raise FetchError("capture-timeout", f"no answer within the timeout ({_short(exc)})",
                             retry=True) from None
        except requests.exceptions.InvalidURL as exc:
            raise FetchError("capture-invalid-url", _short(exc)) from None
        except requests.RequestException as exc:
            raise FetchError("capture-connection-failed", _short(exc), retry=True) from None
        try:
            if not 200 <= response.status_code < 300:
                return response, b""  # an error, a redirect or a 304: no body wanted
            declared = media_type(response.headers.get("Content-Type", ""))
            if declared and declared not in HTML_TYPES | PDF_TYPES | UNDECLARED:
                raise FetchError("capture-unsupported-content-type",
                                 f"{declared}; only HTML pages and PDFs are captured")
            length = response.headers.get("Content-Length", "")
            if re.fullmatch(r"[0-9]+", length) and int(length) > self.policy.max_bytes:
                raise FetchError("capture-too-large", f"{int(length):,} bytes announced, more "
                                 f"than the limit of {self.policy.max_bytes:,}")
            return response, b"".join(self._chunks(response, self.policy.max_bytes))
        finally:
            response.close()

    def _chunks(self, response, limit: int, truncate: bool = False) -> Iterator[bytes]:
        import requests

        size = 0
        deadline = self.clock() + self.policy.total_timeout
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    if truncate:
                        yield chunk[:len(chunk) - (size - limit)]
                        return
                    raise FetchError("capture-too-large",
                                     f"more than the limit of {limit:,} bytes")
                if self.clock() > deadline:
                    raise FetchError("capture-timeout", f"the body took longer than "
                                     f"{self.policy.total_timeout:g} s", retry=True)
                yield chunk
        except requests.RequestException as exc:
            timed_out = isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower()
            raise FetchError("capture-timeout" if timed_out else "capture-connection-failed",
                             f"the connection broke while reading ({_short(exc)})",
                             retry=True) from None


def _short(exc: Exception) -> str:
    """An exception as a short phrase: requests' messages nest the whole urllib3 chain.

    >>> _short(Exception("HTTPConnectionPool(host='h', port=1): Max retries exceeded (Caused "
    ...                  "by NewConnectionError('<obj>: Failed to establish a new connection: "
    ...                  "[Errno 111] Connection refused'))"))
    '[Errno 111] Connection refused'
    """
    text = " ".join(str(exc).split())
    m = re.search(r"\[Errno -?\d+\] [^\"')]+|Read timed out\.?(?: \(read timeout=[\d.]+\))?"
                  r"|timed out|Name or service not known|Connection refused", text)
    return m.group(0).strip() if m else re.sub(r"<[^>]+>:? ?", "", text)[:200]
