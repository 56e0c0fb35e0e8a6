"""Shared set-up for the validation scenes (runs inside Blender 3.4, headless).

Every scene script calls :func:`parse_args` for its command line (after Blender's
``--``), :func:`setup_render` for the common render settings (Cycles on the CPU,
480x270, 24 fps, a few samples with denoising), builds its geometry, steps the
frames once to compute truth from the scene's geometry and the camera projection
(:func:`project`, never from rendered pixels), writes the truth JSON, and finally
renders PNG frames with :func:`render_frames`. The driver (``render_all.py``)
encodes the frames to H.264.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import bpy
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

WIDTH, HEIGHT, FPS = 480, 270, 24


def parse_args(add_arguments) -> argparse.Namespace:
    """Parse the arguments after ``--``; every scene takes ``--out`` (frames dir) and ``--truth``."""
    argv = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="folder for the PNG frames")
    parser.add_argument("--truth", required=True, help="truth JSON path")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--samples", type=int, default=12)
    parser.add_argument("--variant", default="correct")
    parser.add_argument("--truth-only", action="store_true", help="write the truth, do not render")
    add_arguments(parser)
    return parser.parse_args(argv)


def reset() -> bpy.types.Scene:
    """An empty scene (factory startup still has a cube, a light and a camera)."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    return bpy.context.scene


def setup_render(scene: bpy.types.Scene, args: argparse.Namespace) -> int:
    """Cycles on the CPU at 480x270, 24 fps; returns the number of frames."""
    frames = round(args.seconds * FPS)
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = args.samples
    scene.cycles.use_adaptive_sampling = False
    scene.cycles.max_bounces = 4
    scene.cycles.diffuse_bounces = 2
    scene.cycles.glossy_bounces = 2
    scene.cycles.transmission_bounces = 0
    scene.cycles.volume_bounces = 0
    scene.cycles.transparent_max_bounces = 2
    scene.cycles.caustics_reflective = False
    scene.cycles.caustics_refractive = False
    scene.cycles.seed = 7
    scene.cycles.use_animated_seed = True  # noise changes per frame, as in a real sensor
    try:
        scene.cycles.use_denoising = True
        scene.cycles.denoiser = "OPENIMAGEDENOISE"
    except (TypeError, AttributeError):
        scene.cycles.use_denoising = False
    scene.render.threads_mode = "FIXED"
    scene.render.threads = int(os.environ.get("BLENDER_THREADS", "2"))
    scene.render.resolution_x = WIDTH
    scene.render.resolution_y = HEIGHT
    scene.render.resolution_percentage = 100
    scene.render.pixel_aspect_x = scene.render.pixel_aspect_y = 1.0
    scene.render.fps = FPS
    scene.render.fps_base = 1.0
    scene.frame_start = 1
    scene.frame_end = frames
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.render.image_settings.color_depth = "8"
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    scene.render.film_transparent = False
    return frames


def project(scene: bpy.types.Scene, camera: bpy.types.Object, point) -> tuple[float, float]:
    """World point -> pixel coordinates (x right, y down, pixel centres at integers + 0.5).

    ``world_to_camera_view`` gives normalised coordinates with (0, 0) at the bottom
    left of the frame; pixel (x, y) with y down is ``(u W, (1 - v) H)`` and the
    centre of the top-left pixel is (0.5, 0.5). Probes report pixel centres at
    integers, so ``- 0.5`` converts to their convention.
    """
    co = world_to_camera_view(scene, camera, Vector(point))
    return (co.x * WIDTH - 0.5, (1.0 - co.y) * HEIGHT - 0.5)


def camera_px_per_m(scene, camera, point, direction=(0.0, 0.0, 1.0), step=0.01) -> float:
    """Image-plane scale (px per metre) at ``point`` along a world ``direction`` (finite difference)."""
    p = Vector(point)
    d = Vector(direction).normalized() * step
    a = project(scene, camera, p - d)
    b = project(scene, camera, p + d)
    return math.hypot(b[0] - a[0], b[1] - a[1]) / (2 * step)


def add_camera(name, location, rotation_deg, lens_mm=35.0, sensor_mm=36.0) -> bpy.types.Object:
    """A perspective camera with sensor fit horizontal (so pixels are square)."""
    data = bpy.data.cameras.new(name)
    data.lens = lens_mm
    data.sensor_width = sensor_mm
    data.sensor_fit = "HORIZONTAL"
    data.clip_start = 0.05
    data.clip_end = 5000.0
    obj = bpy.data.objects.new(name, data)
    obj.location = location
    obj.rotation_euler = [math.radians(a) for a in rotation_deg]
    bpy.context.scene.collection.objects.link(obj)
    return obj


def material(name, color, roughness=0.6, emission=None, strength=1.0, texture=None):
    """A Principled material; ``texture`` = (scale, contrast) adds a noise texture to the colour."""
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*color, 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Specular"].default_value = 0.3
    if emission is not None:
        bsdf.inputs["Emission"].default_value = (*emission, 1.0)
        bsdf.inputs["Emission Strength"].default_value = strength
    if texture is not None:
        scale, contrast = texture
        noise = nodes.new("ShaderNodeTexNoise")
        noise.inputs["Scale"].default_value = scale
        noise.inputs["Detail"].default_value = 6.0
        ramp = nodes.new("ShaderNodeValToRGB")
        lo = [max(0.0, c * (1 - contrast)) for c in color]
        hi = [min(1.0, c * (1 + contrast)) for c in color]
        ramp.color_ramp.elements[0].color = (*lo, 1.0)
        ramp.color_ramp.elements[1].color = (*hi, 1.0)
        links.new(noise.outputs["Fac"], ramp.inputs["Fac"])
        links.new(ramp.outputs["Color"], bsdf.inputs["Base Color"])
    return mat


def emission_material(name, color, strength):
    """A pure emitter (stars)."""
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    for node in list(nodes):
        nodes.remove(node)
    out = nodes.new("ShaderNodeOutputMaterial")
    em = nodes.new("ShaderNodeEmission")
    em.inputs["Color"].default_value = (*color, 1.0)
    em.inputs["Strength"].default_value = strength
    links.new(em.outputs["Emission"], out.inputs["Surface"])
    return mat


def world_color(scene, color, strength=1.0):
    """A uniform world background (sky light)."""
    world = bpy.data.worlds.new("World")
    world.use_nodes = True
    bg = world.node_tree.nodes["Background"]
    bg.inputs["Color"].default_value = (*color, 1.0)
    bg.inputs["Strength"].default_value = strength
    scene.world = world
    return world


def link(obj, scene=None):
    (scene or bpy.context.scene).collection.objects.link(obj)
    return obj


def write_truth(path: str, truth: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    truth.setdefault("width", WIDTH)
    truth.setdefault("height", HEIGHT)
    truth.setdefault("fps", FPS)
    truth.setdefault(
        "pixel_convention",
        "x right, y down, original-frame px with pixel centres at integers (top-left pixel = 0,0)",
    )
    truth.setdefault("renderer", f"Blender {bpy.app.version_string} Cycles CPU")
    with open(path, "w") as handle:
        json.dump(truth, handle, indent=1, sort_keys=True)
        handle.write("\n")


def render_frames(scene, out_dir: str) -> float:
    """Render every frame to ``out_dir/frame_####.png``; returns the seconds it took."""
    os.makedirs(out_dir, exist_ok=True)
    scene.render.filepath = os.path.join(os.path.abspath(out_dir), "frame_")
    start = time.time()
    bpy.ops.render.render(animation=True)
    return time.time() - start


def r6(value: float) -> float:
    return round(float(value), 4)
