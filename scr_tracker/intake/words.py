"""The words of a text, read once, for the restricted registers: terms
(guard.py) and document fingerprints (keyed.py).

Built from the word buffer (normalise.word_buffer): one split for the words,
and array operations (numpy) for where they lie, so the cost per word is a
handful of C operations, not Python ones. Words are UTF-8 bytes, exactly the
words `[^\\W_]+` finds in the folded, case-folded text."""

from functools import cached_property

import numpy as np

from scr_tracker.intake.normalise import JOINER, normalise, word_buffer

_JOINER_TO_SPACE = bytes.maketrans(bytes([JOINER]), b" ")
_GLUE = bytes([JOINER]) + b" "


class Words:
    def __init__(self, buffer: bytes):
        self.buffer = buffer
        self.list: list[bytes] = buffer.translate(_JOINER_TO_SPACE).split()

    @classmethod
    def of(cls, text: str, *, normalised: bool = False) -> "Words":
        return cls(word_buffer(text if normalised else normalise(text)))

    @classmethod
    def from_list(cls, words: list[bytes]) -> "Words":
        """Words already split (glued_runs() needs the buffer: not available)."""
        made = cls(b"")
        made.list = words
        return made

    def __len__(self) -> int:
        return len(self.list)

    @cached_property
    def distinct(self) -> set[bytes]:
        """Each word once."""
        return set(self.list)

    @cached_property
    def _bounds(self):
        """Where each word starts and ends in the buffer (the same words, in
        the same order, as the split)."""
        codes = np.frombuffer(self.buffer, dtype=np.uint8)
        in_word = np.zeros(len(codes) + 2, dtype=np.int8)
        in_word[1:-1] = (codes != 0x20) & (codes != JOINER)
        edges = np.diff(in_word)
        return codes, np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)

    def glued_runs(self) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
        """Runs of words that a reader reads as one word: pieces with only
        joiners between them ("Sm.ith", "J-a-n-e", "Jane\u200bSmith"), or
        two or more single letters spelled out ("J a n e"). The runs as their
        first words, the words after their last, and their bytes as written
        (joiners and spaces included: glued() runs them together)."""
        none = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
        if len(self.list) < 2:
            return none
        codes, starts, ends = self._bounds
        # Between two words only joiners, no space: most gaps are one byte;
        # a longer one is all joiners when it holds as many as its length.
        gaps = starts[1:] - ends[:-1]
        joined = codes[ends[:-1]] == JOINER
        long = np.flatnonzero(joined & (gaps > 1))
        if len(long):
            joiners = np.flatnonzero(codes == JOINER)
            held = np.searchsorted(joiners, starts[1:][long]) - np.searchsorted(
                joiners, ends[:-1][long]
            )
            joined[long] = held == gaps[long]
        # One character: one byte, or one UTF-8 sequence as long as its lead
        # byte says.
        lengths = ends - starts
        single = lengths == 1
        if not self.buffer.isascii():
            single |= lengths == _SEQUENCE_LENGTH[codes[starts]]
        glue = joined | (single[:-1] & single[1:])
        if not glue.any():
            return none
        padded = np.zeros(len(glue) + 2, dtype=np.int8)
        padded[1:-1] = glue
        edges = np.diff(padded)
        firsts = np.flatnonzero(edges == 1)
        afters = np.flatnonzero(edges == -1) + 1
        buffer = self.buffer
        written = [
            buffer[start:end]
            for start, end in zip(starts[firsts].tolist(), ends[afters - 1].tolist(), strict=True)
        ]
        return firsts, afters, written

    @staticmethod
    def glued(written: bytes) -> bytes:
        return written.translate(None, _GLUE)

    def positions(self, wanted: set[bytes]) -> np.ndarray:
        """Where the wanted words occur, in order (one C scan of the list per
        wanted word when they are few)."""
        if len(wanted) > 8:
            found = [i for i, word in enumerate(self.list) if word in wanted]
            return np.array(found, dtype=np.int64)
        found = []
        for word in wanted:
            index = -1
            try:
                while True:
                    index = self.list.index(word, index + 1)
                    found.append(index)
            except ValueError:
                pass
        return np.array(sorted(found), dtype=np.int64)


# The length of a UTF-8 sequence by its first byte (0 for a byte that
# cannot start one).
_SEQUENCE_LENGTH = np.array(
    [1] * 0x80 + [0] * 0x40 + [2] * 0x20 + [3] * 0x10 + [4] * 0x08 + [0] * 0x08, dtype=np.int64
)
