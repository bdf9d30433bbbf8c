"""Load the two routines Footing ships with, so every fresh database has them.

The data is written out here rather than imported from app code, so that this
migration keeps meaning what it meant when it was written.
"""

from django.db import migrations

EQUIPMENT = [
    ("step", "Step", "A sturdy step or stair, high enough for the heels to drop below it."),
    ("wall-or-rail", "Wall or rail", "Something to rest a hand on for balance."),
    ("medicine-ball", "Medicine ball", "A medium-weight medicine ball, dead ball or slam ball."),
    ("towel", "Towel", "A bath towel rolled up tight, to make balance work harder."),
    ("bosu-ball", "Bosu ball", "A half ball, used round side up or flat side up."),
    ("floor-tape", "Floor tape", "Tape to mark a star on the floor; it helps but is not needed."),
]

# slug: fields, equipment, helpful equipment, variations [(name, description, equipment)]
EXERCISES = {
    "pogo-jumps": {
        "name": "Pogo jumps",
        "summary": "Small, quick two-footed hops that wake up springy ankles.",
        "how_to": (
            "Stand tall with feet about hip-width apart.\n"
            "Hop up and down off the balls of your feet, knees almost straight.\n"
            "Spend as little time on the ground as you can between hops."
        ),
        "cues": "Bounce like a spring, not a squat.\nStay light and quiet on landing.",
        "unit": "jumps",
    },
    "lateral-single-leg-jumps": {
        "name": "Lateral single-leg jumps",
        "summary": "Hops from side to side on one leg to build sideways control.",
        "how_to": (
            "Stand on one leg.\n"
            "Hop sideways, land on the same leg, then hop back.\n"
            "Finish the count, then change legs."
        ),
        "cues": "Land softly and hold each landing steady.\nKeep the hops small at first.",
        "unit": "jumps",
        "per_side": True,
    },
    "edge-of-step-balance": {
        "name": "Sideways single-leg edge-of-step balance",
        "summary": "A one-leg hold side-on to a step edge for the outer ankle and small foot muscles.",
        "how_to": (
            "Stand side-on to the edge of a step, one hand on a wall or rail.\n"
            "Line the smaller toes up along the edge; let the big toe hang partly off it.\n"
            "Lift the other foot and hold the balance."
        ),
        "cues": (
            "Four small toes parallel to the edge, big toe partly over it.\n"
            "Feel the outside of the ankle and the arch do the work."
        ),
        "safety_note": (
            "Stop as soon as the foot or ankle tires. In the first weeks that can be after "
            "only about ten seconds, and that is fine."
        ),
        "unit": "seconds",
        "per_side": True,
        "equipment": ["step", "wall-or-rail"],
    },
    "edge-of-step-balance-knee-drivers": {
        "name": "Sideways single-leg edge-of-step balance with high-knee drivers",
        "summary": "The edge-of-step hold with knee drives added, once the plain hold feels easy.",
        "how_to": (
            "Set up as for the edge-of-step balance, hand on the wall or rail.\n"
            "While holding the balance, drive the free knee up towards the hip and lower it.\n"
            "Keep driving for the whole hold."
        ),
        "cues": "Stay tall over the standing foot.\nThe standing ankle must not roll as the knee drives.",
        "safety_note": "Stop when the foot or ankle tires.",
        "unit": "seconds",
        "per_side": True,
        "equipment": ["step", "wall-or-rail"],
    },
    "runners-lunge-med-ball-slam": {
        "name": "Runner's lunge with elevated foot and med-ball slam",
        "summary": "A lunge with the front foot on a step, finished by slamming a medicine ball.",
        "how_to": (
            "Put one foot up on the step in a running-stride position, ball in both hands.\n"
            "Drive up through the raised leg and lift the ball overhead.\n"
            "Slam the ball to the floor as you sink back into the lunge."
        ),
        "cues": "Control the knee over the foot on the step.\nPower from the leg, not just the arms.",
        "unit": "reps",
        "per_side": True,
        "carries_load": True,
        "equipment": ["step", "medicine-ball"],
    },
    "single-leg-hinged-med-ball-slam": {
        "name": "Single-leg hinged med-ball slam",
        "summary": "Hinge forward on one leg and slam a medicine ball for single-leg control.",
        "how_to": (
            "Stand on one leg, ball held overhead.\n"
            "Hinge at the hip, letting the free leg reach back, and slam the ball down.\n"
            "Pick it up and stand tall again on the same leg."
        ),
        "cues": "Hips stay level as you hinge.\nThe standing knee stays softly bent.",
        "unit": "reps",
        "per_side": True,
        "carries_load": True,
        "equipment": ["medicine-ball"],
    },
    "heel-raises": {
        "name": "Heel raises",
        "summary": "Calf raises with a pause at the top, for calf and ankle strength.",
        "how_to": (
            "Stand with feet hip-width apart.\n"
            "Rise onto your toes as high as you can.\n"
            "Pause at the top for two to three seconds, then lower slowly."
        ),
        "cues": "Push up through the big toe.\nLower with control; do not drop.",
        "unit": "reps",
        "variations": [
            ("Flat floor", "Both feet on level ground.", []),
            (
                "Step edge",
                "Balls of the feet on a step edge, heels dipping below it for a bigger range.",
                ["step"],
            ),
        ],
    },
    "heel-walks": {
        "name": "Heel walks",
        "summary": "Walking on the heels with the toes up, for the shin and the front of the ankle.",
        "how_to": (
            "Lift your toes and the front of your feet off the floor.\n"
            "Walk on your heels: forwards, then sideways, then backwards."
        ),
        "cues": "Keep the toes pulled up the whole time.\nShort steps, steady balance.",
        "unit": "steps",
    },
    "star-exercise": {
        "name": "Star exercise",
        "summary": "Balance on one leg and tap the floor in every direction around a star.",
        "how_to": (
            "Stand on one leg in the centre of a star (tape lines on the floor help).\n"
            "With the free foot, tap the floor straight ahead the set number of times.\n"
            "Move round to the next direction (diagonal, side, and so on) and repeat "
            "until every direction is done.\n"
            "Sink into a small squat on the standing leg as you reach.\n"
            "Then change legs."
        ),
        "cues": (
            "Standing knee tracks over the little toe.\nDo not let the knee cave in or bow out."
        ),
        "unit": "taps",
        "per_side": True,
        "per_direction": True,
        "helpful_equipment": ["floor-tape"],
    },
    "single-leg-balance": {
        "name": "Single-leg balance",
        "summary": "Stand on one leg and hold; make the surface less stable as you improve.",
        "how_to": "Stand on one leg, free foot off the floor.\nHold steady for the time set.",
        "cues": "Stand tall, eyes ahead.\nLet the foot make small corrections.",
        "unit": "seconds",
        "per_side": True,
        "variations": [
            ("Flat floor", "Barefoot or in shoes on level ground.", []),
            ("Rolled towel", "Stand on a tightly rolled towel.", ["towel"]),
            ("Bosu, round side up", "Stand on the dome of a Bosu ball.", ["bosu-ball"]),
            (
                "Bosu, flat side up",
                "Turn the Bosu over and stand on the flat platform.",
                ["bosu-ball"],
            ),
        ],
    },
    "single-leg-mini-squat": {
        "name": "Single-leg mini squat",
        "summary": "A shallow squat on one leg with the other held out in front.",
        "how_to": (
            "Stand on one leg, the other held straight out in front of you.\n"
            "Bend the standing knee into a small squat, then stand back up."
        ),
        "cues": "Knee over the little toe.\nSmall and controlled beats deep and wobbly.",
        "unit": "reps",
        "per_side": True,
    },
    "jump-squats": {
        "name": "Jump squats",
        "summary": "Squat, jump, land and flow straight into the next squat.",
        "how_to": (
            "Squat down with feet about shoulder-width apart.\n"
            "Jump straight up.\n"
            "Land softly and go straight into the next squat with no pause."
        ),
        "cues": "Soft landings.\nKeep a steady rhythm: no rest between jumps.",
        "unit": "reps",
    },
    "seated-toe-points-flex": {
        "name": "Seated toe points and flex",
        "summary": "Seated with legs straight, alternate pointing and flexing the feet.",
        "how_to": (
            "Sit with legs straight out in front of you.\n"
            "Point your toes away and hold two to three seconds.\n"
            "Pull them back towards you and hold two to three seconds.\n"
            "Keep alternating; each point and flex is one rep."
        ),
        "cues": "Move the whole foot through its full range.\nHold each end position.",
        "unit": "reps",
    },
    "single-leg-lateral-hops": {
        "name": "Single-leg lateral hops",
        "summary": "Hop side to side on one leg over a good distance, landing balanced.",
        "how_to": (
            "Stand on one leg.\n"
            "Hop sideways at least 30 cm (12 in) and land on the same leg.\n"
            "Hop back and keep going; then change legs."
        ),
        "cues": "Stick each landing before the next hop.\nDistance matters, but balance comes first.",
        "unit": "hops",
        "per_side": True,
    },
}

PROGRESSIONS = {"edge-of-step-balance": "edge-of-step-balance-knee-drivers"}

# (exercise slug, target min, max, extra fields)
ROUTINES = [
    {
        "slug": "dynamic-feet-ankles",
        "name": "Dynamic feet and ankles",
        "summary": "Six exercises in three mini circuits that train the foot and ankle for "
        "sideways and springy loads.",
        "purpose": (
            "Running moves you almost only forwards, but your ankle has to cope with every "
            "direction: on trails, at kerbs, on uneven ground. These circuits load the foot "
            "and ankle sideways and dynamically, so that long runs tire your feet less and a "
            "rolled ankle becomes less likely."
        ),
        "source_credit": "Built on the advice of a physical therapist (DPT) who trains runners.",
        "suggested_sessions_per_week": None,
        "frequency_note": "The source names no frequency; fit it into your weekly target.",
        "order": 1,
        "circuits": [
            {
                "name": "Springy warm-up",
                "purpose": "Plyometric warm-up: quick, elastic ankles.",
                "rounds": (2, 3),
                "exercises": [
                    ("pogo-jumps", 12, 12, {}),
                    ("lateral-single-leg-jumps", 12, 12, {"per_side": True}),
                ],
            },
            {
                "name": "Edge-of-step holds",
                "purpose": "Isometric holds for sideways stability: the outer-ankle "
                "stabilisers (peroneals) and the small muscles inside the foot.",
                "rounds": (2, 3),
                "exercises": [
                    (
                        "edge-of-step-balance",
                        15,
                        30,
                        {"per_side": True, "side_word": "side", "to_fatigue": True},
                    ),
                    (
                        "edge-of-step-balance-knee-drivers",
                        15,
                        30,
                        {"per_side": True, "side_word": "side", "to_fatigue": True},
                    ),
                ],
            },
            {
                "name": "Med-ball power",
                "purpose": "The dynamic, fun part: single-leg strength and control in "
                "running-like positions.",
                "rounds": (2, 3),
                "needs": "medicine-ball",
                "exercises": [
                    (
                        "runners-lunge-med-ball-slam",
                        8,
                        8,
                        {"per_side": True, "side_word": "side", "load_note": "medium ball"},
                    ),
                    (
                        "single-leg-hinged-med-ball-slam",
                        8,
                        8,
                        {"per_side": True, "side_word": "side", "load_note": "medium ball"},
                    ),
                ],
            },
        ],
    },
    {
        "slug": "ankle-stability",
        "name": "Ankle stability",
        "summary": "Eight exercises for strong, steady ankles, from heel raises to lateral hops.",
        "purpose": (
            "A straight run through eight exercises that build calf and shin strength, "
            "balance on one leg and control when landing. It fits after an easy run or inside "
            "a strength session you already do."
        ),
        "source_credit": "Built on a running coach's blog post about ankle stability.",
        "suggested_sessions_per_week": 1,
        "frequency_note": (
            "Once a week after an easy run or in your usual strength session; "
            "several times a week if your ankles are weak."
        ),
        "order": 2,
        "circuits": [
            {
                "name": "Stability set",
                "purpose": "One pass through all eight is the prescription; repeat it if "
                "you have the time.",
                "rounds": (1, 1),
                "exercises": [
                    ("heel-raises", 20, 20, {"hold_top_seconds_min": 2, "hold_top_seconds_max": 3}),
                    ("heel-walks", 40, 40, {}),
                    ("star-exercise", 5, 5, {"per_side": True, "per_direction": True}),
                    ("single-leg-balance", 20, 20, {"per_side": True}),
                    ("single-leg-mini-squat", 10, 10, {"per_side": True}),
                    ("jump-squats", 20, 20, {}),
                    (
                        "seated-toe-points-flex",
                        30,
                        30,
                        {"hold_top_seconds_min": 2, "hold_top_seconds_max": 3},
                    ),
                    ("single-leg-lateral-hops", 20, 20, {"per_side": True}),
                ],
            },
        ],
    },
]


def load_catalogue(apps, schema_editor):
    Equipment = apps.get_model("workouts", "Equipment")
    Exercise = apps.get_model("workouts", "Exercise")
    Variation = apps.get_model("workouts", "Variation")
    Routine = apps.get_model("workouts", "Routine")
    Circuit = apps.get_model("workouts", "Circuit")
    PrescribedExercise = apps.get_model("workouts", "PrescribedExercise")

    equipment = {
        slug: Equipment.objects.create(slug=slug, name=name, description=description)
        for slug, name, description in EQUIPMENT
    }

    exercises = {}
    for slug, spec in EXERCISES.items():
        spec = dict(spec)
        needed = spec.pop("equipment", [])
        helpful = spec.pop("helpful_equipment", [])
        variations = spec.pop("variations", [])
        exercise = Exercise.objects.create(slug=slug, **spec)
        exercise.equipment.set([equipment[e] for e in needed])
        exercise.helpful_equipment.set([equipment[e] for e in helpful])
        for order, (name, description, var_equipment) in enumerate(variations, start=1):
            variation = Variation.objects.create(
                exercise=exercise, order=order, name=name, description=description
            )
            variation.equipment.set([equipment[e] for e in var_equipment])
        exercises[slug] = exercise

    for easier, harder in PROGRESSIONS.items():
        exercises[easier].progresses_to = exercises[harder]
        exercises[easier].save(update_fields=["progresses_to"])

    for spec in ROUTINES:
        spec = dict(spec)
        circuits = spec.pop("circuits")
        routine = Routine.objects.create(**spec)
        for order, circuit_spec in enumerate(circuits, start=1):
            rounds_min, rounds_max = circuit_spec["rounds"]
            circuit = Circuit.objects.create(
                routine=routine,
                order=order,
                name=circuit_spec["name"],
                purpose=circuit_spec["purpose"],
                rounds_min=rounds_min,
                rounds_max=rounds_max,
                needs_equipment=equipment.get(circuit_spec.get("needs", "")),
            )
            for position, (slug, target_min, target_max, extra) in enumerate(
                circuit_spec["exercises"], start=1
            ):
                PrescribedExercise.objects.create(
                    circuit=circuit,
                    exercise=exercises[slug],
                    order=position,
                    target_min=target_min,
                    target_max=target_max,
                    **extra,
                )


def unload_catalogue(apps, schema_editor):
    slugs = [spec["slug"] for spec in ROUTINES]
    apps.get_model("workouts", "Routine").objects.filter(slug__in=slugs).delete()
    Exercise = apps.get_model("workouts", "Exercise")
    Exercise.objects.filter(slug__in=list(EXERCISES)).update(progresses_to=None)
    Exercise.objects.filter(slug__in=list(EXERCISES)).delete()
    apps.get_model("workouts", "Equipment").objects.filter(
        slug__in=[slug for slug, _, _ in EQUIPMENT]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workouts", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
