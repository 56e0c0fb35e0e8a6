"""Render every validation scene with Blender and encode the clips (``make validation-clips``).

    python tests/validation/render_all.py [--only NAME ...] [--blender blender] [--keep-frames]

Each job runs ``blender -b --factory-startup -P scenes/<scene>.py -- ...``, which writes
the truth JSON beside the clip and PNG frames into a temporary folder; the frames are
then encoded to H.264 yuv420p (CRF 24, +faststart) at 24 fps. Render times go to
``clips/render_log.json``. Blender is needed only here; the clips are committed.
Also converts the real-camera negative controls (``--real``) from Debian's opencv-doc.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENES = HERE / "scenes"
CLIPS = HERE / "clips"
CRF = 24

# name -> (scene script, scene args). Names are clip paths under clips/ without .mp4.
JOBS: dict[str, tuple[str, list[str]]] = {
    # star-field: pole at the principal point, time-lapse rates, and pole off-centre.
    "star-field/center-ccw-3": ("star_field", ["--rate", "3"]),
    "star-field/center-cw-12": ("star_field", ["--rate", "-12"]),
    "star-field/offcentre-ccw-8": ("star_field", ["--rate", "8", "--pole-px", "340", "90"]),
    "star-field/center-ccw-1": ("star_field", ["--rate", "1", "--seconds", "4"]),
    "star-field/offcentre-cw-15": (
        "star_field",
        ["--rate", "-15", "--pole-px", "150", "190", "--seed", "12"],
    ),
    "star-field/nonrigid-wrong": ("star_field", ["--rate", "8", "--variant", "nonrigid"]),
    # sun-shadows: top-down and tilted cameras, both senses; the sun turns back for one object.
    "sun-shadows/top-ccw-8": ("sun_shadows", ["--camera", "top", "--rate", "8"]),
    "sun-shadows/tilted-cw-6": ("sun_shadows", ["--camera", "tilted", "--rate", "-6"]),
    "sun-shadows/top-backwards-wrong": (
        "sun_shadows",
        ["--camera", "top", "--rate", "8", "--variant", "backwards"],
    ),
    # water-reflection: a train passing over a lake; the twin's reflection runs 4 frames late.
    "water-reflection/train-correct": ("water_reflection", ["--samples", "8"]),
    "water-reflection/train-lag-wrong": (
        "water_reflection",
        ["--samples", "8", "--variant", "lag", "--lag-frames", "4"],
    ),
    "water-reflection/train-offset-wrong": (
        "water_reflection",
        ["--samples", "8", "--variant", "offset", "--offset-m", "0.5"],
    ),
    # ball-drop: Bullet rigid body; motion blur; wrong twins g/3 and constant speed; a pan.
    "ball-drop/bullet-correct": ("ball_drop", ["--samples", "8"]),
    "ball-drop/bullet-motion-blur": ("ball_drop", ["--samples", "8", "--motion-blur"]),
    "ball-drop/g3-wrong": ("ball_drop", ["--samples", "8", "--variant", "g3"]),
    "ball-drop/constant-speed-wrong": ("ball_drop", ["--samples", "8", "--variant", "constant"]),
    "pan/ball-drop-pan-3": ("ball_drop", ["--samples", "8", "--pan-deg-s", "3"]),
}

REAL = {
    # name -> (source file in opencv-doc, start second, what it shows)
    "real/vtest-pedestrians": (
        "vtest.avi",
        2.0,
        "fixed surveillance camera, pedestrians walking on a square (10 fps source)",
    ),
    "real/tree": ("tree.avi", 0.0, "handheld-looking shot of a tree against a bright sky (15 fps)"),
    "real/megamind": (
        "Megamind.avi",
        1.0,
        "an animated film clip (rendered, not a camera; still nothing the physics probes look for)",
    ),
    "real/cup": (
        "../../opencv4/html/cup.mp4.gz",
        1.0,
        "a hand swinging a cup in front of a wall: the cup turns in the image plane, so "
        "rotation is not expected to fail here (an object turns, not the sky)",
    ),
}
# Probes that must fail on every real control, unless the clip is listed here.
REAL_NOT_ASSERTED = {"real/cup": {"rotation": "the cup really turns in the image plane"}}
OPENCV_DATA = Path("/usr/share/doc/opencv-doc/examples/data")
REAL_TRUTH = {
    "phenomena": {
        "rotation": False,
        "shadow_sweep": False,
        "reflection": False,
        "falling_ball": False,
    },
}


def ffmpeg() -> str:
    """System ffmpeg, else the imageio-ffmpeg binary."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def encode(frames_dir: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [ffmpeg(), "-y", "-loglevel", "error", "-framerate", "24",
         "-i", str(frames_dir / "frame_%04d.png"),
         "-c:v", "libx264", "-preset", "medium", "-crf", str(CRF), "-pix_fmt", "yuv420p",
         "-movflags", "+faststart", str(out)],
        check=True,
    )  # fmt: skip


def render(name: str, blender: str, keep: bool, truth_only: bool = False) -> float:
    script, args = JOBS[name]
    out = CLIPS / f"{name}.mp4"
    truth = CLIPS / f"{name}.json"
    frames = Path(tempfile.mkdtemp(prefix="pp-validation-"))
    start = time.time()
    cmd = [blender, "-b", "--factory-startup", "-noaudio", "-P", str(SCENES / f"{script}.py"),
           "--", "--out", str(frames), "--truth", str(truth), *args]  # fmt: skip
    if truth_only:
        cmd.append("--truth-only")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or "Traceback" in proc.stdout + proc.stderr:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"blender failed on {name}")
    if not truth_only:
        encode(frames, out)
    seconds = time.time() - start
    if not keep:
        shutil.rmtree(frames)
    data = json.loads(truth.read_text())
    data["clip"] = out.name
    data["render_command"] = " ".join(
        ["blender", "-b", "--factory-startup", "-P", f"scenes/{script}.py", "--", *args]
    )
    truth.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    return seconds


def real(name: str) -> None:
    source, start, shows = REAL[name]
    out = CLIPS / f"{name}.mp4"
    out.parent.mkdir(parents=True, exist_ok=True)
    path = (OPENCV_DATA / source).resolve()
    if path.suffix == ".gz":  # opencv-doc ships the tutorial videos gzipped
        unpacked = Path(tempfile.mkdtemp(prefix="pp-real-")) / path.stem
        unpacked.write_bytes(gzip.decompress(path.read_bytes()))
        path = unpacked
    # Centre crop to 16:9 (the sources are 4:3 or 15:11), then 480x270 at 24 fps.
    crop = "crop=iw:min(ih\\,trunc(iw*9/32)*2)"
    subprocess.run(
        [ffmpeg(), "-y", "-loglevel", "error", "-ss", str(start), "-i", str(path),
         "-t", "3.5", "-vf", f"{crop},scale=480:270:flags=area,setsar=1,fps=24", "-an",
         "-c:v", "libx264", "-preset", "medium", "-crf", str(CRF), "-pix_fmt", "yuv420p",
         "-movflags", "+faststart", str(out)],
        check=True,
    )  # fmt: skip
    truth = {
        "scene": "real-camera negative control",
        "variant": "negative",
        "source": f"Debian opencv-doc: {(OPENCV_DATA / source).resolve()}, from {start} s, "
        "3.5 s, centre-cropped to 16:9",
        "clip": out.name,
        "shows": shows,
        **REAL_TRUTH,
    }
    excused = REAL_NOT_ASSERTED.get(name, {})
    truth["must_fail"] = [
        p for p in ("rotation", "reflection", "shadow", "gravity") if p not in excused
    ]
    truth["expect"] = f"{', '.join(truth['must_fail'])} fail with a reason (no number)"
    if excused:
        truth["not_asserted"] = excused
    (CLIPS / f"{name}.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="job names (prefix match)")
    parser.add_argument("--blender", default=os.environ.get("BLENDER", "blender"))
    parser.add_argument("--keep-frames", action="store_true")
    parser.add_argument("--truth-only", action="store_true", help="rewrite the truth JSONs only")
    parser.add_argument("--no-real", action="store_true", help="skip the real-camera controls")
    args = parser.parse_args()
    log_path = CLIPS / "render_log.json"
    log = json.loads(log_path.read_text()) if log_path.exists() else {}
    for name in JOBS:
        if args.only and not any(name.startswith(o) for o in args.only):
            continue
        seconds = render(name, args.blender, args.keep_frames, args.truth_only)
        if args.truth_only:
            print(f"{name}: truth rewritten", flush=True)
            continue
        # Re-read: another runner (one per scene, in parallel) may have written meanwhile.
        log = json.loads(log_path.read_text()) if log_path.exists() else {}
        log[name] = {"wall_seconds": round(seconds, 1), "cpus": os.cpu_count()}
        log_path.write_text(json.dumps(log, indent=1, sort_keys=True) + "\n")
        print(f"{name}: {seconds:.0f} s", flush=True)
    if not args.no_real and not args.truth_only:
        for name in REAL:
            if args.only and not any(name.startswith(o) for o in args.only):
                continue
            real(name)
            print(f"{name}: converted", flush=True)


if __name__ == "__main__":
    main()
