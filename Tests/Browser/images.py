"""Generated face packs: small real JPEGs that look like the stimuli of a
reverse-correlation task (one grey base face; for pair N a random noise
pattern added to it in the "ori" image and subtracted in the "inv" image),
so the screenshots show what a participant would see."""

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

SIZE = 160


def base_face():
    """A blurred grey face, drawn on a 128-pixel grid and scaled to SIZE."""
    img = Image.new("L", (128, 128), 128)
    d = ImageDraw.Draw(img)
    d.ellipse((22, 10, 106, 122), fill=172)  # face
    d.ellipse((38, 44, 56, 55), fill=88)  # eyes
    d.ellipse((72, 44, 90, 55), fill=88)
    d.rectangle((38, 36, 56, 39), fill=120)  # brows
    d.rectangle((72, 36, 90, 39), fill=120)
    d.polygon([(64, 58), (57, 82), (71, 82)], fill=150)  # nose
    d.ellipse((48, 92, 80, 102), fill=112)  # mouth
    return img.resize((SIZE, SIZE), Image.BICUBIC).filter(ImageFilter.GaussianBlur(2.5))


def pair_name(prefix, number, kind):
    return f"{prefix}_{number:05d}_{kind}.jpg"


def write_pack(folder, pairs, prefix="face"):
    """Writes pairs 1…`pairs` as PREFIX_NNNNN_ori.jpg / _inv.jpg into `folder`; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = base_face()
    for n in range(1, pairs + 1):
        noise = Image.effect_noise((SIZE, SIZE), 45).filter(ImageFilter.GaussianBlur(1.6))
        # ori = base + (noise - 128), inv = base - (noise - 128)
        ImageChops.add(base, noise, 1, -128).save(folder / pair_name(prefix, n, "ori"), quality=85)
        ImageChops.subtract(base, noise, 1, 128).save(folder / pair_name(prefix, n, "inv"), quality=85)
    return folder


def pair_of(filename):
    """(number, kind) of a pack file name such as face_00017_inv.jpg."""
    stem = filename.rsplit(".", 1)[0]
    parts = stem.split("_")
    return int(parts[-2]), parts[-1]
