"""One classifier for a whole room: a process that labels replies for every participant's app.

A spaCy pipeline per participant would cost 30 times a few hundred MB and 30 slow starts; instead
``coachsim serve`` starts this service once, and each participant's app labels through a
:class:`RemoteClassifier`. The service listens on loopback only, and every connection must pass
``multiprocessing.connection``'s HMAC challenge with the room's random key. Messages are JSON
(never pickle): ``{"text", "context"}`` in, ``{"analysis", "questions"}`` or ``{"error"}`` out, where
``questions`` are the coaching questions built from the reply's telling sentences (the alerts'
suggestions, which need the parser the participants do not have).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import secrets
import signal
import socket
import threading
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection, Listener
from typing import Any

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.errors import CoachsimError

ADDRESS_ENV = "COACHSIM_CLASSIFIER"
KEY_ENV = "COACHSIM_CLASSIFIER_KEY"
#: Seconds the server waits for the service to load its pipeline and listen.
START_TIMEOUT_S = 120.0
#: The longest reply text the service labels (larger requests get an error, not a stall).
MAX_TEXT_CHARS = 20_000


class ServiceUnavailable(CoachsimError):
    """The room's classifier service cannot be reached or could not start."""


@dataclass(frozen=True)
class ServiceAddress:
    """Where the service listens and the key that proves a caller belongs to this room."""

    host: str
    port: int
    key: bytes

    def to_env(self) -> dict[str, str]:
        return {ADDRESS_ENV: f"{self.host}:{self.port}", KEY_ENV: self.key.hex()}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServiceAddress | None:
        env = os.environ if environ is None else environ
        address, key = env.get(ADDRESS_ENV), env.get(KEY_ENV)
        if not address or not key:
            return None
        host, _, port = address.rpartition(":")
        try:
            return cls(host, int(port), bytes.fromhex(key))
        except ValueError:
            raise ServiceUnavailable(
                f"${ADDRESS_ENV}/${KEY_ENV} are malformed; restart coachsim serve"
            ) from None


#: What the service labels once before it listens, so that the room's first reply does not pay
#: for the first parse and the first built question (about 90 ms).
WARM_UP = {
    "text": "Warming up: just send the draft today.",
    "context": [{"speaker": "report", "text": "Hi."}],
}


def send_at_once(connection: Connection) -> None:
    """Turn off Nagle's algorithm on ``connection``'s socket (TCP_NODELAY). Without it, the first
    request on each new connection took some 40 ms longer (48 ms against 8): held back after the
    key's handshake until the other end's delayed acknowledgement came."""
    with (
        contextlib.suppress(OSError),
        socket.fromfd(connection.fileno(), socket.AF_INET, socket.SOCK_STREAM) as sock,  # a duplicate
    ):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _answer(classifier: Any, lock: threading.Lock, request: Any) -> dict[str, Any]:
    if not isinstance(request, dict) or not isinstance(request.get("text"), str):
        return {"error": "a request needs a 'text' string"}
    text, context = request["text"], request.get("context")
    if len(text) > MAX_TEXT_CHARS:
        return {"error": f"the reply is over {MAX_TEXT_CHARS:,} characters"}
    from coachsim.scenario.alternatives import questions_from

    try:
        with lock:  # one pipeline, one reply at a time
            analysis = classifier.classify(text, context=context)
            questions = questions_from(analysis, classifier.nlp)
    except Exception as error:  # a bad request must not end the service for the whole room
        return {"error": f"{type(error).__name__}: {error}"}
    return {"analysis": analysis.to_dict(), "questions": questions}


def _serve_connection(connection: Connection, classifier: Any, lock: threading.Lock) -> None:
    with connection:
        while True:
            try:
                raw = connection.recv_bytes(maxlength=4 * MAX_TEXT_CHARS + 65_536)
            except (EOFError, OSError):
                return
            try:
                request = json.loads(raw)
            except ValueError:
                request = None
            try:
                connection.send_bytes(json.dumps(_answer(classifier, lock, request)).encode())
            except OSError:
                return


def run_service(model: str | None, key: bytes, ready: Any) -> None:
    """The service process: load the pipeline, listen on a free loopback port, report it on
    ``ready`` (a queue), then label every connection's requests (one thread per connection).
    Ctrl+C in the facilitator's terminal reaches this process too: the server stops it instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from coachsim.classify.classifier import cached_classifier

        classifier = cached_classifier(model)
        lock = threading.Lock()
        warmed = _answer(classifier, lock, WARM_UP)
        if "error" in warmed:
            raise RuntimeError(warmed["error"])
        listener = Listener(("127.0.0.1", 0), authkey=key)
    except Exception as error:  # reported to the server, which prints one line
        message = error.message if isinstance(error, CoachsimError) else f"{type(error).__name__}: {error}"
        ready.put(("error", message))
        return
    ready.put(("ready", listener.address[1]))
    with listener:
        while True:
            try:
                connection = listener.accept()
            except (OSError, EOFError, multiprocessing.AuthenticationError):
                continue  # a caller without the key, or one that hung up mid-handshake
            send_at_once(connection)
            threading.Thread(
                target=_serve_connection, args=(connection, classifier, lock), daemon=True
            ).start()


def start_service(model: str | None, timeout: float = START_TIMEOUT_S) -> tuple[ServiceAddress, Any]:
    """Start the service process; returns its address and the process (terminate it when done).
    Raises ServiceUnavailable with the service's own one-line reason if it cannot start."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of the server's state
    ready = context.Queue()
    key = secrets.token_bytes(32)
    process = context.Process(
        target=run_service, args=(model, key, ready), daemon=True, name="coachsim-classifier"
    )
    process.start()
    try:
        status, value = ready.get(timeout=timeout)
    except Exception:
        process.terminate()
        raise ServiceUnavailable(f"the room's classifier did not start within {timeout:.0f} s") from None
    if status != "ready":
        process.join(timeout=5)
        raise ServiceUnavailable(str(value))
    return ServiceAddress("127.0.0.1", int(value), key), process


class RemoteClassifier:
    """A participant's classifier: labels through the room's service. Same ``classify`` as
    :class:`coachsim.classify.classifier.Classifier`; in place of its parser, ``nlp`` holds the
    questions the service built from this session's telling sentences, so alerts rephrase the
    manager's own words as in the terminal."""

    def __init__(self, address: ServiceAddress) -> None:
        from coachsim.scenario.alternatives import BuiltQuestions

        self.nlp = BuiltQuestions()
        self.address = address
        self._connection: Connection | None = None
        self._lock = threading.Lock()
        self.model_name = f"room service at {address.host}:{address.port}"

    def _connect(self) -> Connection:
        if self._connection is None:
            try:
                self._connection = Client((self.address.host, self.address.port), authkey=self.address.key)
                send_at_once(self._connection)
            except (OSError, EOFError, multiprocessing.AuthenticationError) as error:
                raise ServiceUnavailable(
                    f"the room's classifier at {self.address.host}:{self.address.port} cannot be reached"
                    f" ({error}); ask the facilitator to restart coachsim serve"
                ) from None
        return self._connection

    def classify(self, text: str, context: Any = None) -> ReplyAnalysis:
        request = json.dumps({"text": text, "context": context}).encode()
        with self._lock:
            for attempt in (1, 2):  # one reconnect: the service may have dropped an idle connection
                connection = self._connect()
                try:
                    connection.send_bytes(request)
                    reply = json.loads(connection.recv_bytes())
                    break
                except (OSError, EOFError):
                    self.close()
                    if attempt == 2:
                        raise ServiceUnavailable(
                            "the room's classifier stopped answering; ask the facilitator to restart it"
                        ) from None
        if "error" in reply:
            raise CoachsimError(f"the room's classifier could not label this reply: {reply['error']}")
        questions = reply.get("questions")
        if isinstance(questions, dict):
            self.nlp.questions.update(
                (sentence, question)
                for sentence, question in questions.items()
                if isinstance(sentence, str) and isinstance(question, str)
            )
        return ReplyAnalysis.from_dict(text, reply["analysis"])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
