"""water-reflection: a level camera over glossy, slightly rippled water; a train passes above it.

    blender -b --factory-startup -P water_reflection.py -- --out DIR --truth T.json \
        [--variant correct|lag] [--lag-frames 4]

A level camera 0.8 m above a lake (z = 0) looks across it at a low bank whose water-side
face is 24.4 m away; a three-car train runs along the bank at 6 m/s with its near face
flush with the bank, in front of a row of trees and a hedge 25-28 m away. The water is a
Principled surface (roughness 0.04) with a slowly moving bump ripple.

Variant ``lag`` (wrong twin): the train is hidden from glossy rays and a copy that only
glossy rays see follows the same path ``--lag-frames`` frames late: the reflection
trails the train. Variant ``offset`` (wrong twin): the copy runs in step but
``--offset-m`` higher, so the reflection sits that much too low on screen. In both
twins the real train casts no shadow (it would shadow the copy where they overlap;
Blender 3.4 has no light linking).

Truth (from the camera projection of the geometry): ``axis_y`` = image row of the point
where the water plane meets the train's depth, the projection of (x, 24.4, 0) below the
train (level camera: constant over x and time); ``lag_frames`` 0 (or the set lag, + =
reflection trails). Also the train's image speed (px/s).
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as C  # noqa: E402
import bpy  # noqa: E402

CAM_Z = 0.8
SHORE_Y = 24.4  # water-side face of the bank and near face of the train
SPEED = 6.0  # m/s
CAR = (3.0, 1.2, 1.4)  # length, depth, height (m)
GAP = 0.6


def arguments(parser):
    parser.add_argument("--lag-frames", type=int, default=4)
    parser.add_argument("--offset-m", type=float, default=0.5)


def box(name, centre, size, mat):
    bpy.ops.mesh.primitive_cube_add(size=1, location=centre)
    obj = bpy.context.object
    obj.name = name
    obj.scale = size
    obj.data.materials.append(mat)
    return obj


def water_material():
    mat = bpy.data.materials.new("water")
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (0.01, 0.025, 0.03, 1)
    bsdf.inputs["Roughness"].default_value = 0.04
    bsdf.inputs["Specular"].default_value = 0.5
    coords = nodes.new("ShaderNodeTexCoord")
    mapping = nodes.new("ShaderNodeMapping")
    mapping.inputs["Scale"].default_value = (0.6, 2.5, 1.0)  # crests along x
    noise = nodes.new("ShaderNodeTexNoise")
    noise.noise_dimensions = "4D"
    noise.inputs["Scale"].default_value = 1.5
    noise.inputs["Detail"].default_value = 2.0
    bump = nodes.new("ShaderNodeBump")
    bump.inputs["Strength"].default_value = 0.08
    bump.inputs["Distance"].default_value = 0.02
    links.new(coords.outputs["Object"], mapping.inputs["Vector"])
    links.new(mapping.outputs["Vector"], noise.inputs["Vector"])
    links.new(noise.outputs["Fac"], bump.inputs["Height"])
    links.new(bump.outputs["Normal"], bsdf.inputs["Normal"])
    return mat, noise


def train(prefix, materials):
    """Three cars parented to an empty (the empty's x is the train's position)."""
    root = C.link(bpy.data.objects.new(prefix, None))
    length, depth, height = CAR
    for i, mat in enumerate(materials):
        x = -i * (length + GAP)
        car = box(
            f"{prefix}_car{i}",
            (x, SHORE_Y + depth / 2, 0.25 + height / 2),
            (length, depth, height),
            mat,
        )
        car.parent = root
        stripe = box(
            f"{prefix}_stripe{i}",
            (x, SHORE_Y - 0.01 + depth / 2, 0.25 + 0.7 * height),
            (length * 0.9, depth + 0.04, 0.18),
            materials[-1 - i],
        )
        stripe.parent = root
        chassis = box(
            f"{prefix}_chassis{i}",
            (x, SHORE_Y + depth / 2, 0.16),
            (length * 0.85, depth * 0.8, 0.18),
            C.material("chassis", (0.03, 0.03, 0.03)),
        )
        chassis.parent = root
    return root


def animate(root, frames, delay=0, dz=0.0):
    for frame in (1, frames):
        root.location = (-9.0 + SPEED * (frame - 1 - delay) / C.FPS, 0, dz)
        root.keyframe_insert("location", frame=frame)
    for fc in root.animation_data.action.fcurves:
        for kp in fc.keyframe_points:
            kp.interpolation = "LINEAR"
        fc.extrapolation = "LINEAR"


def main():
    args = C.parse_args(arguments)
    scene = C.reset()
    frames = C.setup_render(scene, args)
    scene.render.use_motion_blur = False
    scene.cycles.glossy_bounces = 2
    C.world_color(scene, (0.55, 0.7, 0.95), 0.9)
    sun_data = bpy.data.lights.new("sun", "SUN")
    sun_data.energy = 3.5
    sun = C.link(bpy.data.objects.new("sun", sun_data))
    sun.rotation_euler = (math.radians(55), 0, math.radians(-25))

    bpy.ops.mesh.primitive_plane_add(size=1, location=(0, SHORE_Y / 2 + 10, 0))
    water = bpy.context.object
    water.name = "water"
    water.scale = (200, SHORE_Y + 20, 1)
    water_mat, noise = water_material()
    water.data.materials.append(water_mat)
    for frame, w in ((1, 0.0), (frames, 0.08 * args.seconds)):
        noise.inputs["W"].default_value = w
        noise.inputs["W"].keyframe_insert("default_value", frame=frame)

    grass = C.material("grass", (0.18, 0.3, 0.1), roughness=0.9, texture=(80.0, 0.4))
    box("bank", (0, SHORE_Y + 30, 0.06), (200, 60, 0.12), grass)
    rng = random.Random(3)
    hedge = C.material("hedge", (0.06, 0.16, 0.05), roughness=0.9, texture=(40.0, 0.5))
    box("hedge", (0, 27.5, 0.9), (200, 0.8, 1.8), hedge)
    foliage = [
        C.material(f"tree{i}", c, roughness=0.9, texture=(20.0, 0.4))
        for i, c in enumerate(((0.05, 0.2, 0.04), (0.1, 0.25, 0.05), (0.04, 0.14, 0.06)))
    ]
    bark = C.material("bark", (0.15, 0.1, 0.06))
    x = -16.0
    while x < 16.0:
        h = rng.uniform(3.5, 6.5)
        y = rng.uniform(26.2, 27.5)
        bpy.ops.mesh.primitive_cylinder_add(radius=0.12, depth=1.5, location=(x, y, 0.75))
        bpy.context.object.data.materials.append(bark)
        bpy.ops.mesh.primitive_cone_add(
            vertices=12, radius1=rng.uniform(0.9, 1.4), depth=h, location=(x, y, 1.0 + h / 2)
        )
        bpy.context.object.data.materials.append(rng.choice(foliage))
        x += rng.uniform(1.2, 2.4)

    cars = [
        C.material("red", (0.7, 0.08, 0.05), roughness=0.4),
        C.material("yellow", (0.85, 0.65, 0.1), roughness=0.4),
        C.material("blue", (0.1, 0.2, 0.7), roughness=0.4),
    ]
    root = train("train", cars)
    animate(root, frames)
    lag, offset = 0, 0.0
    if args.variant in ("lag", "offset"):
        lag = args.lag_frames if args.variant == "lag" else 0
        offset = args.offset_m if args.variant == "offset" else 0.0
        # The real train is seen by the camera only; the ghost by glossy rays only. The
        # train must not shadow (or occlude the ambient light of) the ghost where the two
        # overlap, so it casts no shadow in these twins (no light linking in Blender 3.4).
        for child in root.children:
            child.visible_glossy = False
            child.visible_shadow = False
            child.visible_diffuse = False
        ghost = train("ghost", cars)
        # The offset twin's ghost rides higher: its mirror image sits lower on screen.
        animate(ghost, frames, delay=lag, dz=offset)
        for child in ghost.children:
            child.visible_camera = False
            child.visible_diffuse = False
            child.visible_shadow = False
            child.visible_transmission = False
            child.visible_volume_scatter = False

    camera = C.add_camera("cam", (0, 0, CAM_Z), (90, 0, 0), lens_mm=35)
    scene.camera = camera

    rows, xs = [], []
    for frame in range(1, frames + 1):
        scene.frame_set(frame)
        front = root.location.x + CAR[0] / 2
        rows.append(C.project(scene, camera, (root.location.x, SHORE_Y, 0.0))[1])
        xs.append(C.project(scene, camera, (front, SHORE_Y, 0.25))[0])
    axis = statistics.fmean(rows)
    speed = (xs[-1] - xs[0]) / (max(frames - 1, 1) / C.FPS)
    truth = {
        "scene": "water-reflection",
        "variant": args.variant,
        "phenomena": {"reflection": True},
        "reflection": {
            "axis_y": C.r6(axis),
            "axis_y_range": [C.r6(min(rows)), C.r6(max(rows))],
            "lag_frames": lag,
            "reflection_offset_m": offset,
            "reflection_offset_px": C.r6(
                offset * C.camera_px_per_m(scene, camera, (0, SHORE_Y, 0))
            ),
            "camera_height_m": CAM_Z,
            "object_depth_m": SHORE_Y,
            "object_speed_px_s": C.r6(speed),
            "method": "projection of the point on the water plane (z = 0) below the train's "
            "near face (y = 24.4 m) per frame; lag is the set delay of the reflected copy",
        },
        "frames": frames,
        "seconds": args.seconds,
        "samples": args.samples,
    }
    if lag:
        truth["wrong_because"] = (
            f"the reflection is a copy of the train that runs {lag} frames late "
            "(the real train is hidden from glossy rays and casts no shadow)"
        )
    if offset:
        truth["wrong_because"] = (
            f"the reflection is of a copy of the train {offset} m higher: it sits "
            f"{truth['reflection']['reflection_offset_px']:.1f} px too low on screen "
            "(the real train is hidden from glossy rays and casts no shadow)"
        )
    C.write_truth(args.truth, truth)
    if not args.truth_only:
        seconds = C.render_frames(scene, args.out)
        print(f"RENDER_SECONDS {seconds:.1f}")


main()
