"""Small generated media with known explicit labels (images, tones, videos).

Text is drawn with the Noto CJK font the Makefile installs (fonts-noto-cjk);
tones are synthesised with numpy; videos are encoded with PyAV.
"""

from __future__ import annotations

import io
from pathlib import Path

FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
FONT = FONT_PATHS[0]


def font_for_ink_height(text: str, ink_px: float, font_path: str = FONT):
    """The font size whose drawn ink of ``text`` is at least ``ink_px`` tall."""
    from PIL import Image, ImageDraw, ImageFont

    draw = ImageDraw.Draw(Image.new("RGB", (8, 8)))
    size = max(4, int(ink_px * 0.8))
    while True:
        font = ImageFont.truetype(font_path, size)
        box = draw.textbbox((0, 0), text, font=font)
        if box[3] - box[1] >= ink_px or size > 4 * ink_px + 40:
            return font
        size += 1


def draw_label(image, text: str, ratio: float, *, corner: str = "bottom-right",
               fill=(255, 255, 255), font_path: str = FONT) -> tuple[int, int, int, int]:
    """Draw ``text`` with an ink height of ``ratio`` of the shortest side; return its box."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    width, height = image.size
    font = font_for_ink_height(text, ratio * min(width, height), font_path)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    margin = int(0.04 * min(width, height))
    x = margin if "left" in corner else width - (right - left) - margin
    y = margin if "top" in corner else height - (bottom - top) - margin
    if corner == "center":
        x, y = (width - (right - left)) // 2, (height - (bottom - top)) // 2
    draw.text((x - left, y - top), text, font=font, fill=fill)
    return x, y, x + right - left, y + bottom - top


def label_image(width: int = 1280, height: int = 720, *, text: str | None = "AI生成",
                ratio: float = 0.06, corner: str = "bottom-right", fill=(255, 255, 255),
                background=(40, 90, 160), font_path: str = FONT, body: bool = True):
    """A picture with some body text and (optionally) a label."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    # A gradient band and body text, so the picture is not a flat field.
    for x in range(0, width, 8):
        shade = 60 + (x * 80) // max(1, width)
        draw.rectangle((x, height // 3, x + 8, height // 3 + 40), fill=(shade, shade, 120))
    if body:
        draw.text((int(width * 0.3), int(height * 0.45)), "今天天气很好 城市夜景",
                  font=ImageFont.truetype(FONT, max(12, height // 24)), fill=(235, 235, 235))
    if text:
        draw_label(image, text, ratio, corner=corner, fill=fill, font_path=font_path)
    return image


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


# --- audio -------------------------------------------------------------------

RATE = 16000
AI_RHYTHM = "·− ··"  # Morse "AI": short long, gap, short short


def tone(seconds: float, frequency: float, rate: int = RATE, amplitude: float = 0.5):
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    wave = amplitude * np.sin(2 * np.pi * frequency * t)
    ramp = min(len(wave) // 4, int(0.004 * rate))
    if ramp:
        envelope = np.ones(len(wave))
        envelope[:ramp] = np.linspace(0, 1, ramp)
        envelope[-ramp:] = np.linspace(1, 0, ramp)
        wave *= envelope
    return wave


def silence(seconds: float, rate: int = RATE):
    import numpy as np

    return np.zeros(int(seconds * rate))


def morse(pattern: str, *, unit: float = 0.08, frequency: float = 1000.0, rate: int = RATE,
          amplitude: float = 0.5):
    """Morse tones: "·" one unit, "−" three, a gap of one unit between
    elements and three between letters (a space in ``pattern``)."""
    import numpy as np

    parts = []
    for symbol in pattern:
        if symbol == " ":
            parts.append(silence(2 * unit, rate))  # plus the element gap: 3 units
            continue
        length = unit if symbol in "·." else 3 * unit
        parts.append(tone(length, frequency, rate, amplitude))
        parts.append(silence(unit, rate))
    return np.concatenate(parts)


def music(seconds: float, rate: int = RATE, seed: int = 1, amplitude: float = 0.3):
    """A melody of notes of random pitch and length with harmonics (not a label)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    parts, total = [], 0.0
    while total < seconds:
        length = float(rng.choice([0.125, 0.25, 0.375, 0.5, 0.75]))
        frequency = 220 * 2 ** (int(rng.integers(0, 24)) / 12)
        t = np.arange(int(length * rate)) / rate
        note = sum(np.sin(2 * np.pi * frequency * k * t) / k for k in (1, 2, 3, 4))
        note *= np.exp(-3 * t) * amplitude
        parts.append(note)
        total += length
    return np.concatenate(parts)[: int(seconds * rate)]


def speech_like(seconds: float, rate: int = RATE, seed: int = 2, amplitude: float = 0.4):
    """Voiced syllables: a pulse train of gliding pitch through two formant
    resonances, about four syllables a second, with pauses."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * rate))
    t = np.arange(int(0.02 * rate)) / rate
    position = 0
    while position < len(out):
        length = int(rate * rng.uniform(0.15, 0.3))
        pitch = rng.uniform(110, 220) * np.linspace(1.0, rng.uniform(0.8, 1.25), length)
        phase = np.cumsum(pitch / rate)
        pulses = (np.diff(np.floor(phase), prepend=0) > 0).astype(float)
        voiced = pulses
        for formant in (rng.uniform(400, 900), rng.uniform(1000, 2400)):
            # A resonance: the pulses convolved with a damped sinusoid.
            response = np.exp(-np.pi * formant / 5 * t) * np.sin(2 * np.pi * formant * t)
            voiced = np.convolve(voiced, response)[:length] + 0.3 * voiced
        voiced *= np.hanning(length)
        end = min(len(out), position + length)
        out[position:end] += voiced[: end - position]
        position = end + int(rate * rng.uniform(0.03, 0.12))
    rms = float(np.sqrt(np.mean(out ** 2))) or 1.0
    return np.clip(amplitude / 3 * out / rms, -1, 1)


def noise(seconds: float, rate: int = RATE, amplitude: float = 0.05, seed: int = 3):
    import numpy as np

    return amplitude * np.random.default_rng(seed).standard_normal(int(seconds * rate))


def place(base, clip, at_seconds: float, rate: int = RATE):
    """Mix ``clip`` into a copy of ``base`` at ``at_seconds``."""
    out = base.copy()
    start = int(at_seconds * rate)
    end = min(len(out), start + len(clip))
    out[start:end] += clip[: end - start]
    return out


def wav(samples, rate: int = RATE) -> bytes:
    """16-bit mono WAV."""
    import wave

    import numpy as np

    clipped = np.clip(samples, -1, 1)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes((clipped * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def encode_audio(samples, path: Path, *, codec: str = "mp3", rate: int = RATE) -> Path:
    """Encode mono samples with PyAV (mp3, flac, libopus in Ogg, aac in m4a)."""
    import av
    import numpy as np

    container = av.open(str(path), mode="w")
    out_rate = 48000 if codec == "libopus" else (44100 if codec in ("mp3", "aac") else rate)
    stream = container.add_stream(codec, rate=out_rate)
    stream.layout = "mono"
    resampler = av.AudioResampler(format=stream.format.name if stream.format else "s16",
                                  layout="mono", rate=out_rate)
    data = np.clip(samples, -1, 1).astype(np.float32).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(data, format="flt", layout="mono")
    frame.sample_rate = rate
    for chunk in resampler.resample(frame) + resampler.resample(None):
        for packet in stream.encode(chunk):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    container.close()
    return path


# --- video -------------------------------------------------------------------

def encode_video(path: Path, *, seconds: float = 4.0, fps: int = 25, size=(640, 360),
                 label_from: float | None = 0.0, label_until: float | None = None,
                 ratio: float = 0.07, codec: str = "libx264", fmt: str | None = None,
                 audio=None) -> Path:
    """A moving-picture video with the label shown from ``label_from`` to
    ``label_until`` seconds (None: to the end); ``label_from=None`` for none."""
    import av
    import numpy as np

    width, height = size
    container = av.open(str(path), mode="w", format=fmt)
    stream = container.add_stream(codec, rate=fps)
    stream.width, stream.height = width, height
    stream.pix_fmt = "yuv420p"
    if codec == "libx264":
        stream.options = {"preset": "ultrafast", "crf": "23"}
    audio_stream = None
    if audio is not None:
        audio_stream = container.add_stream("aac", rate=44100)
        audio_stream.layout = "mono"
    base = label_image(width, height, text=None)
    labelled = label_image(width, height, ratio=ratio)
    base_array, labelled_array = np.asarray(base), np.asarray(labelled)
    for index in range(int(seconds * fps)):
        t = index / fps
        shown = label_from is not None and t >= label_from and (label_until is None or t < label_until)
        array = (labelled_array if shown else base_array).copy()
        # A moving block, so frames differ as in real footage.
        x = (index * 7) % max(1, width - 40)
        array[20:60, x : x + 40] = (200, 60, 60)
        frame = av.VideoFrame.from_ndarray(array, format="rgb24")
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    if audio_stream is not None:
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=44100)
        data = np.clip(audio, -1, 1).astype(np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(data, format="flt", layout="mono")
        frame.sample_rate = RATE
        for chunk in resampler.resample(frame) + resampler.resample(None):
            for packet in audio_stream.encode(chunk):
                container.mux(packet)
        for packet in audio_stream.encode(None):
            container.mux(packet)
    container.close()
    return path
