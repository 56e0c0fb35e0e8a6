"""sun-shadows: a sun whose azimuth turns at a known rate over poles, a wall and a tree.

    blender -b --factory-startup -P sun_shadows.py -- --out DIR --truth T.json \
        [--camera top|tilted] [--rate 8] [--variant correct|backwards]

A sun lamp 32 deg above the horizon turns its azimuth at ``--rate`` deg/s (+ = counter-
clockwise seen from above) over a textured sandy ground with two dark poles, a light
pole, a low wall and a tree. ``top``: a camera 40 m up looking straight down;
``tilted``: a perspective camera 10 m up, 16 m back, pitched 58 deg from the vertical.

Variant ``backwards`` (wrong twin): the tall dark pole casts no real shadow; a dark
decal shaped like its shadow turns the other way (the sun "turning back" for that
object alone).

Truth (from geometry and the camera projection, never from pixels): for each object,
per frame, the shadow tip is where the sun's ray through the object's top point hits
the ground (z = 0); the image-plane angle of the projected tip about the projected base
is atan2(-(tip_y - base_y), tip_x - base_x) (y down, + = counter-clockwise on screen).
Per-object rate = least-squares slope of the unwrapped angle against time; the scene's
``sweep_rate_deg_s`` is the median over objects (as the probe defines it).
"""

from __future__ import annotations

import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as C  # noqa: E402
import bpy  # noqa: E402
from mathutils import Vector  # noqa: E402

ELEVATION = 32.0  # deg, sun above the horizon
AZIMUTH0 = 200.0  # deg, sun azimuth at frame 1 (rotation about +z of the lamp)


def arguments(parser):
    parser.add_argument("--camera", choices=("top", "tilted"), default="top")
    parser.add_argument("--rate", type=float, default=8.0, help="deg/s of the sun's azimuth")


def cylinder(name, x, y, radius, height, mat):
    bpy.ops.mesh.primitive_cylinder_add(
        vertices=24, radius=radius, depth=height, location=(x, y, height / 2)
    )
    obj = bpy.context.object
    obj.name = name
    obj.data.materials.append(mat)
    return obj


def slope(ts, ys):
    mt, my = statistics.fmean(ts), statistics.fmean(ys)
    num = sum((t - mt) * (y - my) for t, y in zip(ts, ys, strict=True))
    return num / sum((t - mt) ** 2 for t in ts)


def unwrap(degrees):
    out = [degrees[0]]
    for d in degrees[1:]:
        step = (d - out[-1] + 180.0) % 360.0 - 180.0
        out.append(out[-1] + step)
    return out


def main():
    args = C.parse_args(arguments)
    scene = C.reset()
    frames = C.setup_render(scene, args)
    scene.render.use_motion_blur = False
    C.world_color(scene, (0.45, 0.55, 0.8), 0.45)

    bpy.ops.mesh.primitive_plane_add(size=80, location=(0, 0, 0))
    ground = bpy.context.object
    ground.data.materials.append(
        C.material("sand", (0.62, 0.55, 0.42), roughness=0.9, texture=(60.0, 0.35))
    )
    dark = C.material("dark", (0.05, 0.05, 0.06), roughness=0.6)
    light = C.material("light", (0.85, 0.85, 0.82), roughness=0.5)
    wallmat = C.material("wall", (0.45, 0.3, 0.25), roughness=0.8)
    leaves = C.material("leaves", (0.08, 0.25, 0.06), roughness=0.8)

    # (name, base xy, top point used for the shadow tip)
    objects = []
    cylinder("pole_tall_dark", -4.5, 2.5, 0.16, 2.2, dark)
    objects.append(("pole_tall_dark", (-4.5, 2.5), (-4.5, 2.5, 2.2)))
    cylinder("pole_light", 3.5, 3.0, 0.16, 1.7, light)
    objects.append(("pole_light", (3.5, 3.0), (3.5, 3.0, 1.7)))
    cylinder("pole_short_dark", 0.5, -0.5, 0.14, 1.3, dark)
    objects.append(("pole_short_dark", (0.5, -0.5), (0.5, -0.5, 1.3)))
    bpy.ops.mesh.primitive_cube_add(size=1, location=(-3.5, -3.5, 0.6))
    wall = bpy.context.object
    wall.name = "wall"
    wall.scale = (2.6, 0.3, 1.2)
    wall.rotation_euler = (0, 0, math.radians(25))
    wall.data.materials.append(wallmat)
    objects.append(("wall", (-3.5, -3.5), (-3.5, -3.5, 1.2)))
    trunk = cylinder("tree_trunk", 4.5, -2.5, 0.14, 1.6, C.material("bark", (0.2, 0.12, 0.06)))
    bpy.ops.mesh.primitive_ico_sphere_add(subdivisions=3, radius=0.8, location=(4.5, -2.5, 2.1))
    crown = bpy.context.object
    crown.name = "tree_crown"
    crown.data.materials.append(leaves)
    objects.append(("tree", (4.5, -2.5), (4.5, -2.5, 2.1)))
    del trunk

    sun_data = bpy.data.lights.new("sun", "SUN")
    sun_data.energy = 4.0
    sun_data.angle = math.radians(0.8)
    sun = C.link(bpy.data.objects.new("sun", sun_data))
    sun.rotation_mode = "XYZ"
    for frame in (1, frames):
        az = AZIMUTH0 + args.rate * (frame - 1) / C.FPS
        sun.rotation_euler = (math.radians(90 - ELEVATION), 0, math.radians(az))
        sun.keyframe_insert("rotation_euler", frame=frame)
    for fc in sun.animation_data.action.fcurves:
        for kp in fc.keyframe_points:
            kp.interpolation = "LINEAR"

    decal = None
    if args.variant == "backwards":
        target = bpy.data.objects["pole_tall_dark"]
        target.visible_shadow = False
        height = 2.2
        length = height / math.tan(math.radians(ELEVATION))
        radius = 0.16
        mesh = bpy.data.meshes.new("decal")
        mesh.from_pydata(
            [
                (0, -radius, 0),
                (length, -radius * 0.8, 0),
                (length, radius * 0.8, 0),
                (0, radius, 0),
            ],
            [],
            [(0, 1, 2, 3)],
        )
        decal = C.link(bpy.data.objects.new("fake_shadow", mesh))
        decal.location = (-4.5, 2.5, 0.004)
        decal.visible_shadow = False
        decal.data.materials.append(
            C.material("fake_shadow", (0.62 * 0.18, 0.55 * 0.18, 0.42 * 0.2), roughness=0.9)
        )
        # True shadow direction at frame 1: away from the sun, azimuth AZIMUTH0 + 90 deg
        # in the lamp's frame (the lamp's -z tilted towards +y, then turned by az).
        scene.frame_set(1)
        d = sun.matrix_world.to_3x3() @ Vector((0, 0, -1))
        start = math.degrees(math.atan2(d.y, d.x))
        for frame in (1, frames):
            back = start - args.rate * (frame - 1) / C.FPS
            decal.rotation_euler = (0, 0, math.radians(back))
            decal.keyframe_insert("rotation_euler", frame=frame)
        for fc in decal.animation_data.action.fcurves:
            for kp in fc.keyframe_points:
                kp.interpolation = "LINEAR"

    if args.camera == "top":
        camera = C.add_camera("cam", (0, 0, 40), (0, 0, 0), lens_mm=50)
    else:
        camera = C.add_camera("cam", (0, -16, 10), (58, 0, 0), lens_mm=30)
    scene.camera = camera

    # Truth.
    times = [(f - 1) / C.FPS for f in range(1, frames + 1)]
    angles = {name: [] for name, _, _ in objects}
    for frame in range(1, frames + 1):
        scene.frame_set(frame)
        d = sun.matrix_world.to_3x3() @ Vector((0, 0, -1))
        for name, base, top in objects:
            top_v = Vector(top)
            if decal is not None and name == "pole_tall_dark":
                length = 2.2 / math.tan(math.radians(ELEVATION))
                tip = decal.matrix_world @ Vector((length, 0, 0))
                tip.z = 0.0
            else:
                tip = top_v + d * (top_v.z / -d.z)
            b = C.project(scene, camera, (base[0], base[1], 0.0))
            t = C.project(scene, camera, tip)
            angles[name].append(math.degrees(math.atan2(-(t[1] - b[1]), t[0] - b[0])))
    per_object = {}
    for name, base, _top in objects:
        series = unwrap(angles[name])
        b = C.project(scene, camera, (base[0], base[1], 0.0))
        per_object[name] = {
            "rate_deg_s": C.r6(slope(times, series)),
            "base_px": [C.r6(b[0]), C.r6(b[1])],
            "angle_deg_first": C.r6(series[0]),
            "angle_deg_last": C.r6(series[-1]),
            "angle_deg": [round(a, 3) for a in series],
            "shadow": "fake decal turning back" if (decal and name == "pole_tall_dark") else "cast",
        }
    rates = [o["rate_deg_s"] for o in per_object.values()]
    turns = [r * (times[-1] - times[0]) for r in rates]
    truth = {
        "scene": "sun-shadows",
        "variant": args.variant,
        "camera": args.camera,
        "phenomena": {"shadow_sweep": True},
        "shadow": {
            "sweep_rate_deg_s": C.r6(statistics.median(rates)),
            "sun_azimuth_rate_deg_s": args.rate,
            "sun_elevation_deg": ELEVATION,
            "direction_spread_deg": C.r6(max(turns) - min(turns)),
            "objects": per_object,
            "sign": "+ = counter-clockwise on screen (y down)",
            "method": "per frame, the sun ray through each object's top point meets z=0 "
            "(the shadow tip); angle of the projected tip about the projected base; "
            "rate = least-squares slope; scene rate = median over objects",
        },
        "frames": frames,
        "seconds": args.seconds,
        "samples": args.samples,
    }
    if decal is not None:
        truth["wrong_because"] = (
            "pole_tall_dark casts no real shadow; a painted shadow turns back at "
            f"-{args.rate} deg/s while the sun and the other shadows turn at +{args.rate}"
        )
    C.write_truth(args.truth, truth)
    if not args.truth_only:
        seconds = C.render_frames(scene, args.out)
        print(f"RENDER_SECONDS {seconds:.1f}")


main()
