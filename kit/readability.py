"""Reading level of text: Flesch-Kincaid grade for English, Fernández Huerta for Spanish."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’-][A-Za-zÀ-ÿ]+)*")
MARKUP = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\]\([^)]*\)|[`*_#>|\[\]]")
EN_VOWELS = re.compile(r"[aeiouy]+")
ES_VOWEL_GROUPS = re.compile(r"[aeiouáéíóúü]+")
ES_STRONG = set("aeoáéíóú")


def english_syllables(word: str) -> int:
    """Vowel groups, less a silent final 'e' (a common approximation; at least one per word)."""
    word = word.lower().replace("’", "'")
    count = len(EN_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def spanish_syllables(word: str) -> int:
    """Vowel groups; two strong vowels together (or an accented í/ú) are two syllables (hiatus)."""
    count = 0
    for group in ES_VOWEL_GROUPS.findall(word.lower()):
        count += 1
        count += sum(1 for a, b in zip(group, group[1:], strict=False) if a in ES_STRONG and b in ES_STRONG)
    return max(count, 1)


SYLLABLES = {"en": english_syllables, "es": spanish_syllables}


@dataclass
class Reading:
    """Counts of a text, and its grade."""

    sentences: int
    words: int
    syllables: int
    grade: float
    score: float | None = None
    """The formula's own score where it is not a grade (Fernández Huerta ease)."""


def sentences_of(text: str) -> list[str]:
    plain = MARKUP.sub(" ", text)
    return [sentence.strip() for sentence in SENTENCE_END.split(plain) if WORD.search(sentence)]


def measure(text: str, language: str) -> Reading | None:
    """The reading level of TEXT in LANGUAGE, or None when kit has no formula for that language."""
    base = language.split("-")[0].split("_")[0]
    if base not in SYLLABLES:
        return None
    sentences = sentences_of(text)
    words = [word for sentence in sentences for word in WORD.findall(sentence)]
    if not words:
        return None
    syllables = sum(SYLLABLES[base](word) for word in words)
    if base == "en":
        grade = 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59
        return Reading(len(sentences), len(words), syllables, round(grade, 1))
    score = fernandez_huerta(len(sentences), len(words), syllables)
    return Reading(len(sentences), len(words), syllables, huerta_grade(score), round(score, 1))


def fernandez_huerta(sentences: int, words: int, syllables: int) -> float:
    """L = 206.84 - 0.60 P - 1.02 F, with P syllables and F sentences per 100 words (higher is easier)."""
    return 206.84 - 0.60 * (100 * syllables / words) - 1.02 * (100 * sentences / words)


def huerta_grade(score: float) -> float:
    """The school grade Fernández Huerta's own scale gives a score (90+ is 4th grade ... under 30 university)."""
    for floor, grade in ((90, 4), (80, 5), (70, 6), (60, 8), (50, 10), (30, 12)):
        if score >= floor:
            return float(grade)
    return 16.0
