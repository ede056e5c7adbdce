"""Precision and recall of the explicit-label checker, rule by rule, on a
generated corpus with known answers.

The corpus (written to a temporary folder; ``--keep`` keeps it) holds:

* images: labels of 4.0 to 6.0 % of the shortest side (just under and just
  over 5 %), in the four corners and the centre, in three Noto CJK faces,
  in faint colours (low contrast), a label lacking an element, and none;
* videos (10 s would be slow here: 4 s at 640x360): a label from the
  opening frame to the end, shown 1.5 s, 1.9 s, 2.0 s and 2.5 s, appearing
  late (0.8 s and 3 s), too small, and none;
* audio (12 s): the 短长短短 rhythm at the start, middle and end, at
  440 Hz to 3 kHz, faster and slower, over music and over speech; wrong
  Morse letters (N, U, F, D, R, AS, IA), steady short and long beeps,
  music, and silence.

Each file's expected rules are known; the script checks every file and
prints, per rule, true and false positives and negatives, precision and
recall, then the files the checker got wrong. Inconclusive results count
as "no rule fired" (they leave the check to the inspector).

Usage: python benchmarks/explicit_accuracy.py [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from inspections.labels.explicit import check_explicit  # noqa: E402
from tests.labels.explicit import media  # noqa: E402

RULES = ("EXP-01", "EXP-04", "EXP-05", "EXP-06", "EXP-08")


def images(folder: Path) -> list[tuple[Path, set[str]]]:
    cases = []
    for size in ((1280, 720), (1920, 1080), (720, 1280)):
        for ratio in (0.040, 0.045, 0.048, 0.052, 0.055, 0.060):
            expected = {"EXP-04"} if ratio < 0.05 else set()
            cases.append((size, {"ratio": ratio}, expected))
    for corner in ("top-left", "top-right", "bottom-left", "bottom-right"):
        cases.append(((1280, 720), {"ratio": 0.06, "corner": corner}, set()))
    # In the centre, without the body text the label would cover.
    cases.append(((1280, 720), {"ratio": 0.06, "corner": "center", "body": False}, set()))
    for font in media.FONT_PATHS:
        cases.append(((1280, 720), {"ratio": 0.06, "font_path": font}, set()))
        cases.append(((1280, 720), {"ratio": 0.045, "font_path": font}, {"EXP-04"}))
    for fill, expected in (((70, 110, 175), {"EXP-08"}), ((95, 140, 200), {"EXP-08"}),
                           ((150, 190, 240), set()),  # 3.57:1, just over 3:1
                           ((20, 20, 20), {"EXP-08"})):  # dark text on mid blue: 2.6:1
        cases.append(((1280, 720), {"ratio": 0.07, "fill": fill}, expected))
    cases.append(((1280, 720), {"text": None}, {"EXP-01"}))
    cases.append(((1920, 1080), {"text": None}, {"EXP-01"}))
    cases.append(((1280, 720), {"text": "AI作品", "ratio": 0.07}, {"EXP-01"}))
    cases.append(((1280, 720), {"text": "本图由人工智能合成", "ratio": 0.055}, set()))
    cases.append(((1280, 720), {"text": "AI生成", "ratio": 0.055, "background": (240, 240, 240),
                                "fill": (30, 30, 30)}, set()))
    files = []
    for index, ((width, height), options, expected) in enumerate(cases):
        path = folder / f"image-{index:02d}.png"
        path.write_bytes(media.png(media.label_image(width, height, **options)))
        files.append((path, expected))
    return files


def videos(folder: Path) -> list[tuple[Path, set[str]]]:
    cases = [
        ({"label_from": 0.0}, set()),
        ({"label_from": 0.0, "label_until": 1.5}, {"EXP-05"}),
        ({"label_from": 0.0, "label_until": 1.9}, {"EXP-05"}),
        ({"label_from": 0.0, "label_until": 2.0}, set()),
        ({"label_from": 0.0, "label_until": 2.5}, set()),
        ({"label_from": 0.8}, {"EXP-05"}),
        ({"label_from": 3.0}, {"EXP-05"}),
        ({"label_from": 0.0, "ratio": 0.04}, {"EXP-04"}),
        ({"label_from": None}, {"EXP-01"}),
    ]
    files = []
    for index, (options, expected) in enumerate(cases):
        path = media.encode_video(folder / f"video-{index}.mp4", seconds=4.0, size=(640, 360),
                                  **options)
        files.append((path, expected))
    return files


def audio(folder: Path) -> list[tuple[Path, set[str]]]:
    seconds = 12

    def bed():
        return media.noise(seconds, amplitude=0.01)

    cases = []
    for at in (0.3, 6.0, 10.5):
        cases.append((media.place(bed(), media.morse(media.AI_RHYTHM), at), set()))
    for frequency in (440.0, 700.0, 2000.0, 3000.0):
        cases.append((media.place(bed(), media.morse(media.AI_RHYTHM, frequency=frequency), 4), set()))
    for unit in (0.05, 0.06, 0.11, 0.14):
        cases.append((media.place(bed(), media.morse(media.AI_RHYTHM, unit=unit), 4), set()))
    loud = media.morse(media.AI_RHYTHM, frequency=1500, amplitude=0.6)
    cases.append((media.place(media.music(seconds) + bed(), loud, 5), set()))
    cases.append((media.place(media.music(seconds, seed=7) + bed(), loud, 2), set()))
    for pattern in ("−·", "··−", "··−·", "−··", "·−·", "·− ···", "·· ·−", "· · · · · ·", "− − − −"):
        cases.append((media.place(bed(), media.morse(pattern), 4), {"EXP-06"}))
    cases.append((media.music(seconds) + bed(), {"EXP-06"}))
    cases.append((media.music(seconds, seed=5) + bed(), {"EXP-06"}))
    cases.append((bed(), {"EXP-06"}))
    files = []
    for index, (samples, expected) in enumerate(cases):
        path = folder / f"audio-{index:02d}.wav"
        path.write_bytes(media.wav(samples))
        files.append((path, expected))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="explicit-accuracy-"))
    try:
        corpus = images(folder) + videos(folder) + audio(folder)
        counts = {rule: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for rule in RULES}
        wrong = []
        for path, expected in corpus:
            result = check_explicit(path)
            fired = set(result.rules) & set(RULES)
            for rule in RULES:
                key = ("tp" if rule in expected else "fp") if rule in fired else (
                    "fn" if rule in expected else "tn")
                counts[rule][key] += 1
            if fired != expected:
                wrong.append((path.name, sorted(expected), sorted(fired), result.status,
                              result.reason or ""))
        print(f"explicit accuracy: {len(corpus)} files "
              f"({sum(1 for p, _ in corpus if p.name.startswith('image'))} images, "
              f"{sum(1 for p, _ in corpus if p.name.startswith('video'))} videos, "
              f"{sum(1 for p, _ in corpus if p.name.startswith('audio'))} audio)")
        for rule, c in counts.items():
            fired, expected = c["tp"] + c["fp"], c["tp"] + c["fn"]
            precision = c["tp"] / fired if fired else float("nan")
            recall = c["tp"] / expected if expected else float("nan")
            print(f"  {rule}: precision {precision:.2f} recall {recall:.2f} "
                  f"(tp {c['tp']}, fp {c['fp']}, fn {c['fn']}, tn {c['tn']})")
        exact = len(corpus) - len(wrong)
        print(f"files with exactly the expected rules: {exact} of {len(corpus)}")
        for name, expected, fired, status, reason in wrong:
            print(f"  wrong: {name} expected {expected} got {fired} ({status}) {reason}")
        if options.keep:
            print(f"corpus kept in {folder}")
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
