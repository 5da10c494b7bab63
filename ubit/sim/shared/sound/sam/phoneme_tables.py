"""SAM's phoneme set: names, classes and lengths (the parser's and prosody's tables).

Numbers from SAM as the micro:bit firmware has it: bbcmicrobit/micropython
``source/lib/sam/`` (v1.1.1; the same files are micropython-microbit-v2 ``lib/sam/``).
"""

from __future__ import annotations

# SamTabs.h signInputTable1/2: two-letter names ('*': a one-letter name)
NAME1 = ' .?,-IIEAAAAUAIEUORLWYWRLWYMNNDQSSFT//ZZVDC*J***EAOAOUB**D**G**G**P**T**K**K**UUU'
NAME2 = '*****YHHEAHOHXXRXHXXXXH******XX**H*HHX*H*HH*****YYYWWW*********X***********X**LMN'
# SamTabs.h stressInputTable: a stress digit's value is its index
STRESS_MARKS = '*12345678'

# SamTabs.h flags (81 entries), followed as in the V1 firmware image by flags2, so
# that reading past the end (index 127, the end marker) gives the byte the firmware reads.
# 128 vowel, 64 consonant, 32 ends in IY, 16 diphthong, 8 voiced consonant, 4 voiced,
# 2 stop consonant, 1 unvoiced stop
FLAGS = (
    0, 0, 0, 0, 0, 164, 164, 164,
    164, 164, 164, 132, 132, 164, 164, 132,
    132, 132, 132, 132, 132, 132, 68, 68,
    68, 68, 68, 76, 76, 76, 72, 76,
    64, 64, 64, 64, 64, 64, 68, 68,
    68, 68, 72, 64, 76, 68, 0, 0,
    180, 180, 180, 148, 148, 148, 78, 78,
    78, 78, 78, 78, 78, 78, 78, 78,
    78, 78, 75, 75, 75, 75, 75, 75,
    75, 75, 75, 75, 75, 75, 128, 193,
    193, 128, 193, 193, 193, 193, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    16, 16, 16, 16, 8, 12, 8, 4,
    64, 36, 32, 32, 36, 0, 0, 36,
    32, 32, 36, 32, 32, 0, 32, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 4, 4, 4, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 4, 4,
    4, 0, 0, 0, 0, 0, 0,
)

# SamTabs.h flags2 (78 entries) and, as in the firmware image, the first bytes of
# phonemeLengthTable after it. 128 pause, 64 Q, 32 fricative, 16 liquid, 8 nasal,
# 4 alveolar, 1 punctuation
FLAGS2 = (
    128, 193, 193, 193, 193, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 16,
    16, 16, 16, 8, 12, 8, 4, 64,
    36, 32, 32, 36, 0, 0, 36, 32,
    32, 36, 32, 32, 0, 32, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 4, 4, 4, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 4, 4, 4,
    0, 0, 0, 0, 0, 0, 0, 18,
    18,
)

# SamTabs.h phonemeLengthTable: frames of an unstressed phoneme
LENGTH = (
    0, 18, 18, 18, 8, 8, 8, 8,
    8, 11, 6, 12, 10, 5, 5, 11,
    10, 10, 10, 9, 8, 7, 9, 7,
    6, 8, 6, 7, 7, 7, 2, 5,
    2, 2, 2, 2, 2, 2, 6, 6,
    7, 6, 6, 2, 8, 3, 1, 30,
    13, 12, 12, 12, 14, 9, 6, 1,
    2, 5, 1, 1, 6, 1, 2, 6,
    1, 2, 8, 2, 2, 4, 2, 2,
    6, 1, 4, 6, 1, 4, 199, 255,
)

# SamTabs.h phonemeStressedLengthTable: frames of a stressed phoneme
STRESSED_LENGTH = (
    0, 18, 18, 18, 8, 11, 9, 11,
    14, 15, 11, 16, 12, 6, 6, 14,
    12, 14, 12, 11, 8, 8, 11, 10,
    9, 8, 8, 8, 8, 8, 3, 5,
    2, 2, 2, 2, 2, 2, 6, 6,
    8, 6, 6, 2, 9, 4, 2, 1,
    14, 15, 15, 15, 14, 14, 8, 2,
    2, 7, 2, 1, 7, 2, 2, 7,
    2, 2, 8, 2, 2, 6, 2, 2,
    7, 2, 4, 7, 1, 4, 5, 5,
)

