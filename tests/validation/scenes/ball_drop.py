"""ball-drop: a rigid ball dropped under Blender's Bullet rigid body solver.

    blender -b --factory-startup -P ball_drop.py -- --out DIR --truth T.json \
        [--variant correct|g3|constant] [--motion-blur] [--pan-deg-s 0]

An orange ball (r = 0.3 m, restitution 0.7 against a 0.7 floor: it bounces) is released
at rest 5.5 m above a textured floor in front of a textured back wall, 14 m from a level
camera (35 mm lens, 480x270). Gravity is Bullet's, 9.81 m/s^2, damping off, 20
substeps per frame.

Variants: ``g3`` (wrong twin) gravity 9.81/3; ``constant`` (wrong twin) the ball is
keyframed to fall at a constant 3.5 m/s and stop on the floor, no rigid body;
``--motion-blur`` renders with Cycles motion blur (shutter 0.8 frame);
``--pan-deg-s`` turns the camera about the vertical axis at that rate (a slow pan).

Truth (from the ball's simulated world positions projected by the camera, never from
pixels): the ball centre's pixel track per frame; ``acceleration_px_s2`` is the
least-squares parabola fit y = y0 + v0 t + a t^2 / 2 of the projected centre over the
first free-fall arc (release to first contact), + = down on screen;
``scale_px_per_m`` is the camera's vertical scale at the ball's depth and
``physical_px_s2`` = 9.81 m/s^2 x that scale, what a correct clip of this camera shows.
With a pan, ``camera_pan_px_s`` is the horizontal image velocity of a static point at
the ball's depth at the image centre (+ = content moves right on screen).
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

G = 9.81
RADIUS = 0.3
DROP_Z = 5.5
CAM_DIST = 14.0
CAM_Z = 3.0


def arguments(parser):
    parser.add_argument("--motion-blur", action="store_true")
    parser.add_argument("--pan-deg-s", type=float, default=0.0)


def select_only(obj):
    for other in bpy.context.view_layer.objects:
        other.select_set(False)
    obj.select_set(True)
    bpy.context.view_layer.objects.active = obj


def fit_parabola(ts, ys):
    """Least-squares y = c0 + c1 t + c2 t^2; returns (acceleration 2 c2, rms residual)."""
    n = len(ts)
    s = [sum(t**k for t in ts) for k in range(5)]
    b = [sum(y * t**k for t, y in zip(ts, ys, strict=True)) for k in range(3)]
    a = [[s[i + j] for j in range(3)] for i in range(3)]
    # Gaussian elimination (3x3).
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for i in range(3):
        p = max(range(i, 3), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        for r in range(3):
            if r != i:
                f = m[r][i] / m[i][i]
                m[r] = [x - f * y for x, y in zip(m[r], m[i], strict=True)]
    c = [m[i][3] / m[i][i] for i in range(3)]
    res = [y - (c[0] + c[1] * t + c[2] * t * t) for t, y in zip(ts, ys, strict=True)]
    return 2 * c[2], math.sqrt(sum(r * r for r in res) / n)


def main():
    args = C.parse_args(arguments)
    scene = C.reset()
    frames = C.setup_render(scene, args)
    C.world_color(scene, (0.5, 0.6, 0.8), 0.5)
    sun_data = bpy.data.lights.new("sun", "SUN")
    sun_data.energy = 3.0
    sun = C.link(bpy.data.objects.new("sun", sun_data))
    sun.rotation_euler = (math.radians(40), math.radians(15), math.radians(-30))

    bpy.ops.mesh.primitive_cube_add(size=1, location=(0, 0, -0.25))
    floor = bpy.context.object
    floor.name = "floor"
    floor.scale = (40, 30, 0.5)
    floor.data.materials.append(
        C.material("floor", (0.45, 0.42, 0.38), roughness=0.8, texture=(30.0, 0.3))
    )
    bpy.ops.mesh.primitive_plane_add(size=1, location=(0, 6, 5))
    wall = bpy.context.object
    wall.name = "backwall"
    wall.scale = (40, 10, 1)
    wall.rotation_euler = (math.radians(90), 0, 0)
    wall.data.materials.append(
        C.material("wall", (0.55, 0.6, 0.65), roughness=0.9, texture=(25.0, 0.3))
    )
    for i, x in enumerate((-6.0, -3.2, 3.0, 6.2)):  # a few static props for texture
        bpy.ops.mesh.primitive_cube_add(size=1, location=(x, 3.0, 0.5 + 0.3 * i))
        box = bpy.context.object
        box.scale = (0.8, 0.8, 1 + 0.6 * i)
        box.data.materials.append(C.material(f"box{i}", (0.2 + 0.15 * i, 0.3, 0.35)))

    bpy.ops.mesh.primitive_uv_sphere_add(
        segments=32, ring_count=16, radius=RADIUS, location=(0, 0, DROP_Z)
    )
    ball = bpy.context.object
    ball.name = "ball"
    bpy.ops.object.shade_smooth()
    ball.data.materials.append(C.material("ball", (0.9, 0.35, 0.05), roughness=0.35))

    g = G / 3 if args.variant == "g3" else G
    if args.variant == "constant":
        speed = 3.5
        t_land = (DROP_Z - RADIUS) / speed
        f_land = 1 + t_land * C.FPS
        for frame, z in ((1, DROP_Z), (f_land, RADIUS)):
            ball.location = (0, 0, z)
            ball.keyframe_insert("location", frame=frame)
        for fc in ball.animation_data.action.fcurves:
            for kp in fc.keyframe_points:
                kp.interpolation = "LINEAR"
            fc.extrapolation = "CONSTANT"
    else:
        scene.use_gravity = True
        scene.gravity = (0, 0, -g)
        select_only(floor)
        bpy.ops.rigidbody.world_add()
        world = scene.rigidbody_world
        world.substeps_per_frame = 20
        world.solver_iterations = 20
        world.point_cache.frame_start = 1
        world.point_cache.frame_end = frames
        bpy.ops.rigidbody.object_add(type="PASSIVE")
        floor.rigid_body.collision_shape = "BOX"
        floor.rigid_body.restitution = 0.7
        select_only(ball)
        bpy.ops.rigidbody.object_add(type="ACTIVE")
        body = ball.rigid_body
        body.collision_shape = "SPHERE"
        body.mass = 1.0
        body.restitution = 0.7
        body.friction = 0.5
        body.linear_damping = 0.0
        body.angular_damping = 0.0
        body.use_margin = True
        body.collision_margin = 0.0

    if args.motion_blur:
        scene.render.use_motion_blur = True
        scene.render.motion_blur_shutter = 0.8
        scene.cycles.motion_blur_position = "CENTER"
    else:
        scene.render.use_motion_blur = False

    camera = C.add_camera("cam", (0, -CAM_DIST, CAM_Z), (90, 0, 0), lens_mm=35)
    scene.camera = camera
    pan = args.pan_deg_s
    if pan:
        half = pan * (frames - 1) / C.FPS / 2
        for frame, yaw in ((1, -half), (frames, half)):
            camera.rotation_euler = (math.radians(90), 0, math.radians(yaw))
            camera.keyframe_insert("rotation_euler", frame=frame)
        for fc in camera.animation_data.action.fcurves:
            for kp in fc.keyframe_points:
                kp.interpolation = "LINEAR"

    # Truth: step the simulation frame by frame (this also fills the rigid body cache
    # the render then reads) and project the ball centre.
    times, xs, ys, zs, scales, pans = [], [], [], [], [], []
    static_probe = None
    for frame in range(1, frames + 1):
        scene.frame_set(frame)
        centre = ball.matrix_world.translation.copy()
        x, y = C.project(scene, camera, centre)
        times.append((frame - 1) / C.FPS)
        xs.append(x)
        ys.append(y)
        zs.append(centre.z)
        scales.append(C.camera_px_per_m(scene, camera, centre))
        if pan:
            if static_probe is None:
                # The static world point seen at the image centre in frame 1, at the ball's depth.
                ray = camera.matrix_world.to_3x3() @ Vector((0, 0, -1))
                static_probe = camera.matrix_world.translation + ray * CAM_DIST
            pans.append(C.project(scene, camera, static_probe)[0])
    # First free-fall arc: from release until the ball first touches the floor.
    # The first frame after which the ball stops going down holds the bounce: the arc
    # ends one frame before it (the frame interval containing the contact is left out).
    turn = next((i for i in range(len(zs) - 1) if zs[i + 1] >= zs[i] - 1e-6), len(zs))
    arc = list(range(0, max(turn, 3)))
    accel, rms = fit_parabola([times[i] for i in arc], [ys[i] for i in arc])
    scale = statistics.fmean(scales[i] for i in arc)
    truth = {
        "scene": "ball-drop",
        "variant": args.variant,
        "motion_blur": bool(args.motion_blur),
        "phenomena": {"falling_ball": True},
        "gravity": {
            "acceleration_px_s2": C.r6(accel if args.variant != "constant" else 0.0),
            "fit_rms_px": C.r6(rms),
            "scale_px_per_m": C.r6(scale),
            "g_m_s2": g if args.variant != "constant" else 0.0,
            "physical_px_s2": C.r6(G * scale),
            "first_arc_frames": [arc[0], arc[-1]] if arc else [],
            "sign": "+ = down on screen",
            "method": "Bullet positions per frame projected by the camera; parabola fit "
            "over the first free-fall arc (release to first floor contact)",
        },
        "track_px": [[round(x, 2), round(y, 2)] for x, y in zip(xs, ys, strict=True)],
        "frames": frames,
        "seconds": args.seconds,
        "samples": args.samples,
    }
    if args.variant == "constant":
        truth["gravity"]["fitted_projection_px_s2"] = C.r6(accel)
        truth["wrong_because"] = "the ball falls at a constant 3.5 m/s: no acceleration"
    elif args.variant == "g3":
        truth["wrong_because"] = "gravity is 9.81/3 m/s^2: a third of the physical acceleration"
    if pan:
        steps = [(b - a) * C.FPS for a, b in zip(pans, pans[1:], strict=False)]
        truth["camera_pan_deg_s"] = pan
        truth["camera_pan_px_s"] = C.r6(statistics.fmean(steps))
        truth["camera_pan_note"] = (
            "camera turns about the vertical axis (yaw) at camera_pan_deg_s; "
            "camera_pan_px_s = horizontal image velocity of a static point at the ball's "
            "depth at the image centre, + = content moves right"
        )
    C.write_truth(args.truth, truth)
    if not args.truth_only:
        seconds = C.render_frames(scene, args.out)
        print(f"RENDER_SECONDS {seconds:.1f}")


main()
