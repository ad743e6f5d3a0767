"""Reads a TensorBoard log folder with the `tensorboard` package, as TensorBoard itself reads one, and
writes what it found to OUT/events.json: per event file, its records as TensorBoard's record reader
sees them (how many pass both CRC checks, the error that stopped it) and its events (wall time, step,
file_version or the summary's tags); the EventAccumulator's scalars (step, value) and images (step,
declared size) per tag, each image decoded with PIL (size, mode, pixels).

Run with the tensorboard virtual environment's Python (make tb-env): read_tensorboard.py OUT LOGDIR.
"""
import io
import json
import os
import sys

from PIL import Image
from tensorboard.backend.event_processing import event_accumulator, event_file_loader
from tensorboard.compat.tensorflow_stub import errors, pywrap_tensorflow

out, logdir = sys.argv[1], sys.argv[2]


def records(path):
    """Counts the records that pass both CRC checks, up to the first that does not."""
    reader = pywrap_tensorflow.PyRecordReader_New(path)
    count = 0
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            return count, None
        except errors.DataLossError as error:
            return count, error.message
        count += 1


def events(path):
    found = []
    for event in event_file_loader.EventFileLoader(path).Load():
        entry = {"wall_time": event.wall_time, "step": event.step}
        if event.HasField("file_version"):
            entry["file_version"] = event.file_version
        if event.HasField("summary"):
            entry["tags"] = [value.tag for value in event.summary.value]
        found.append(entry)
    return found


files = {}
for name in sorted(os.listdir(logdir)):
    path = os.path.join(logdir, name)
    count, error = records(path)
    files[name] = {"records": count, "error": error, "events": events(path)}

accumulator = event_accumulator.EventAccumulator(
    logdir, size_guidance={event_accumulator.SCALARS: 0, event_accumulator.IMAGES: 0})
accumulator.Reload()
tags = accumulator.Tags()
scalars = {tag: [{"step": e.step, "value": e.value} for e in accumulator.Scalars(tag)]
           for tag in tags["scalars"]}
images = {}
for tag in tags["images"]:
    images[tag] = []
    for e in accumulator.Images(tag):
        decoded = Image.open(io.BytesIO(e.encoded_image_string))
        decoded.load()
        images[tag].append({"step": e.step, "height": e.height, "width": e.width,
                            "decoded_height": decoded.height, "decoded_width": decoded.width,
                            "mode": decoded.mode, "pixels": list(decoded.tobytes())})

with open(os.path.join(out, "events.json"), "w") as f:
    json.dump({"files": files, "scalars": scalars, "images": images}, f)
