"""The banks the bot can play, by id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.quiz import Bank, Question
from bot.rounds.errors import UnknownBank


class BankLibrary:
    """The loaded banks, looked up by id; replaced whole when banks are reloaded."""

    def __init__(self, banks: Iterable[Bank] = ()) -> None:
        self._banks: dict[str, Bank] = {bank.id: bank for bank in banks}

    def __iter__(self) -> Iterator[Bank]:
        return iter(sorted(self._banks.values(), key=lambda bank: bank.title.casefold()))

    def __len__(self) -> int:
        return len(self._banks)

    def __contains__(self, bank_id: object) -> bool:
        return bank_id in self._banks

    def get(self, bank_id: str) -> Bank:
        """The bank with this id; raises UnknownBank."""
        try:
            return self._banks[bank_id]
        except KeyError:
            raise UnknownBank(bank_id) from None

    def question(self, bank_id: str, question_id: str) -> Question:
        """A question by bank and question id; raises UnknownBank or KeyError."""
        return self.get(bank_id).question(question_id)

    def replace(self, banks: Iterable[Bank]) -> None:
        """Swap in a new set of banks."""
        self._banks = {bank.id: bank for bank in banks}
