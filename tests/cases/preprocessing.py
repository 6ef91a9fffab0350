"""Rows and strategies for kerasspec.layers.preprocessing.

Every number here was read from Keras 3.15 (``model.output_shape``, the layer's
trainable and non-trainable weights) by ``tests/test_catalogue.py``, which builds
each row again. The strategies draw arguments as users write them: a factor as a
number or a list (sometimes out of range, or 3 values), names in lower case and
in the other cases Keras refuses (it lower-cases none of them but `data_format`),
arguments left out. Values a definition refuses on purpose where Keras only fails
when the layer runs (its ``STRICTER_THAN_KERAS``) are not drawn.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import OMIT, any_case, args, maybe

# --------------------------------------------------------------------------- rows

_IMG = (None, 8, 10, 3)

RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    # Rescaling: a number, or one value per channel (lists of 1 always broadcast).
    ({"type": "Rescaling", "scale": 0.5, "offset": -1}, (None, 4, 4, 2), ((None, 4, 4, 2), 0, 0)),
    ({"type": "Rescaling", "scale": [0.5, 0.25, 1.0], "offset": [1.0]}, _IMG, (_IMG, 0, 0)),
    # Normalization: state for adapt (2n + 1, non-trainable), or constants.
    ({"type": "Normalization"}, (None, 4, 3), ((None, 4, 3), 0, 7)),
    ({"type": "Normalization", "axis": None}, (None, 4, 3), ((None, 4, 3), 0, 3)),
    ({"type": "Normalization", "axis": []}, (None, 4, 3), ((None, 4, 3), 0, 3)),
    ({"type": "Normalization", "axis": [1, 2]}, (None, 4, 3), ((None, 4, 3), 0, 25)),
    ({"type": "Normalization", "axis": [-1, -1]}, (None, 4, 1), ((None, 4, 1), 0, 3)),
    ({"type": "Normalization", "axis": [-1, -1]}, (None, 4, 3), "KS309"),
    ({"type": "Normalization", "axis": 0}, (None, 4), "KS308"),
    ({"type": "Normalization", "axis": 0}, (5, 4), ((5, 4), 0, 11)),
    ({"type": "Normalization", "axis": 2}, (None, 4), "KS309"),
    ({"type": "Normalization", "axis": -3}, (None, 4), "KS309"),
    ({"type": "Normalization"}, (None, None), "KS308"),
    ({"type": "Normalization", "trainable": False}, (None, 6), ((None, 6), 0, 13)),
    ({"type": "Normalization", "mean": 0.5, "variance": 2.0}, (None, 4, 3), ((None, 4, 3), 0, 0)),
    ({"type": "Normalization", "mean": [1, 2, 3], "variance": [1, 1, 1]}, (None, 4, 3), ((None, 4, 3), 0, 0)),
    ({"type": "Normalization", "mean": [1], "variance": [1]}, (None, 4, 3), ((None, 4, 3), 0, 0)),
    ({"type": "Normalization", "mean": [1, 2], "variance": [1, 1]}, (None, 4, 3), "KS309"),
    ({"type": "Normalization", "mean": [[1, 2, 3]], "variance": [[1, 1, 1]]}, (None, 4, 3), "KS309"),
    ({"type": "Normalization", "axis": [1, 2], "mean": [[1, 2, 3]], "variance": [[1, 1, 1]]}, (None, 4, 3), ((None, 4, 3), 0, 0)),
    ({"type": "Normalization", "axis": [1, 2], "mean": [1, 2, 3, 4], "variance": [1, 1, 1, 1]}, (None, 4, 3), "KS309"),
    ({"type": "Normalization", "axis": 1, "mean": [1, 2, 3, 4], "variance": [1, 1, 1, 1]}, (None, 4, 3), ((None, 4, 3), 0, 0)),
    ({"type": "Normalization", "axis": None, "mean": [1], "variance": [1]}, (None, 4, 3), "KS309"),
    ({"type": "Normalization", "mean": 1.0}, (None, 4), "KS211"),
    ({"type": "Normalization", "mean": 1.0, "variance": [1.0]}, (None, 4), "KS309"),
    ({"type": "Normalization", "axis": [-1, -1], "mean": [1, 2, 3], "variance": [1, 1, 1]}, (None, 4, 3), ((None, 4, 3), 0, 0)),
    # Resizing: a rank-4 input is a batch; any other rank is read as one image.
    ({"type": "Resizing", "height": 2, "width": 3}, _IMG, ((None, 2, 3, 3), 0, 0)),
    ({"type": "Resizing", "height": 2, "width": 3, "data_format": "channels_first"}, (None, 3, 8, 10), ((None, 3, 2, 3), 0, 0)),
    ({"type": "Resizing", "height": 2, "width": 3, "interpolation": "nearest", "crop_to_aspect_ratio": True}, (None, 6, 7), ((2, 3, 7), 0, 0)),
    ({"type": "Resizing", "height": 2, "width": 3, "pad_to_aspect_ratio": True}, (None, 5), ((2, 3), 0, 0)),
    ({"type": "Resizing", "height": 2, "width": 3, "data_format": "Channels_First"}, (None, 5), "KS302"),
    ({"type": "Resizing", "height": 2, "width": 3, "data_format": "channels_first"}, (None, 6, 7), ((None, 2, 3), 0, 0)),
    ({"type": "Resizing", "height": 4, "width": 4}, (None, 2, 6, 7, 3), ((4, 4, 6, 7, 3), 0, 0)),
    ({"type": "Resizing", "height": 4, "width": 4}, (2, None, None, 1), ((2, 4, 4, 1), 0, 0)),
    # CenterCrop: rank 3 or 4 only.
    ({"type": "CenterCrop", "height": 2, "width": 3}, _IMG, ((None, 2, 3, 3), 0, 0)),
    ({"type": "CenterCrop", "height": 20, "width": 30}, _IMG, ((None, 20, 30, 3), 0, 0)),
    ({"type": "CenterCrop", "height": 2, "width": 3, "data_format": "channels_first"}, (None, 3, 8, 10), ((None, 3, 2, 3), 0, 0)),
    ({"type": "CenterCrop", "height": 2, "width": 3}, (None, 6, 7), ((2, 3, 7), 0, 0)),
    ({"type": "CenterCrop", "height": 2, "width": 3}, (None, 5), "KS302"),
    ({"type": "CenterCrop", "height": 2, "width": 3}, (None, 2, 6, 7, 3), "KS302"),
    # RandomCrop: axes -3 and -2 (channels_last) or -2 and -1, whatever the rank.
    ({"type": "RandomCrop", "height": 2, "width": 3, "seed": 1}, _IMG, ((None, 2, 3, 3), 0, 0)),
    ({"type": "RandomCrop", "height": 2, "width": 3}, (None, 2, 6, 7, 3), ((None, 2, 2, 3, 3), 0, 0)),
    ({"type": "RandomCrop", "height": 2, "width": 3}, (None, 6, 7), ((2, 3, 7), 0, 0)),
    ({"type": "RandomCrop", "height": 2, "width": 3}, (None, 5), "KS302"),
    ({"type": "RandomCrop", "height": 2, "width": 3, "data_format": "channels_first"}, (None, 5), ((2, 3), 0, 0)),
    ({"type": "RandomCrop", "height": 2, "width": 3, "data_format": "channels_first"}, (None, 3, 8, 10), ((None, 3, 2, 3), 0, 0)),
    # Augmentations keep any shape and make no weights.
    ({"type": "RandomFlip"}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomFlip", "mode": "horizontal", "seed": 3, "data_format": "CHANNELS_FIRST"}, (None, 5), ((None, 5), 0, 0)),
    ({"type": "RandomRotation", "factor": 0.1, "fill_mode": "constant", "interpolation": "nearest"}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomRotation", "factor": [-0.2, 0.3], "fill_value": 1}, (None, 2, 6, 7, 3), ((None, 2, 6, 7, 3), 0, 0)),
    ({"type": "RandomRotation", "factor": None}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomZoom", "height_factor": [-0.3, 1.0], "width_factor": 0.2, "fill_mode": "wrap"}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomTranslation", "height_factor": 0.1, "width_factor": [-1, 1], "fill_mode": "nearest"}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomShear", "x_factor": 0.3, "y_factor": [0.1, 0.2]}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomPerspective", "factor": [0.2, 0.9], "scale": 0.5}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomElasticTransform", "fill_mode": "mirror", "scale": [0.1, 0.5], "value_range": [0, 1]}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomErasing", "scale": 0.5, "fill_value": 0.0}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomBrightness", "factor": [-0.2, 0.5], "value_range": [1, 0]}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomBrightness", "factor": []}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomContrast", "factor": 0.5}, (None, 7), ((None, 7), 0, 0)),
    ({"type": "RandomSaturation", "factor": -0.5}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomHue", "factor": [0.1, 0.4]}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomColorDegeneration", "factor": 0.4}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomColorDegeneration", "factor": 0.4}, (None, None, None, None), ((None, None, None, None), 0, 0)),
    ({"type": "RandomColorDegeneration", "factor": 0.4, "data_format": "channels_first"}, (None, 3, 8, 10), ((None, 3, 8, 10), 0, 0)),
    ({"type": "RandomColorDegeneration", "factor": 0.4}, (None, 8, 10, 1), "KS309"),
    ({"type": "RandomColorDegeneration", "factor": 0.4, "data_format": "channels_first"}, _IMG, "KS309"),
    ({"type": "RandomColorDegeneration", "factor": 0.4}, (None, 2, 8, 10, 3), "KS302"),
    ({"type": "RandomColorDegeneration", "factor": 0.4}, (None, 3), "KS302"),
    ({"type": "RandomColorJitter", "brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": 0.4, "hue_factor": 0.5}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomGrayscale", "factor": 1}, (None, 8, 10, 1), ((None, 8, 10, 1), 0, 0)),
    ({"type": "RandomInvert", "factor": 0.5}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomPosterization", "factor": [2, 6]}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomSharpness", "factor": 0.3}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandomGaussianBlur", "kernel_size": [3, 5], "sigma": [0.1, 0.9]}, _IMG, (_IMG, 0, 0)),
    ({"type": "Solarization", "addition_factor": 0.2, "threshold_factor": [0.1, 0.5]}, _IMG, (_IMG, 0, 0)),
    ({"type": "AutoContrast", "value_range": [0, 1]}, _IMG, (_IMG, 0, 0)),
    ({"type": "ContrastLimitedAdaptiveHistogramEqualization", "tile_grid_size": [2, 2]}, _IMG, (_IMG, 0, 0)),
    ({"type": "RandAugment", "num_ops": 3, "factor": [0.2, 0.8]}, _IMG, (_IMG, 0, 0)),
    ({"type": "AugMix", "all_ops": False, "factor": 0.5}, _IMG, (_IMG, 0, 0)),
    # Encodings.
    ({"type": "CategoryEncoding", "num_tokens": 5}, (None, 3), ((None, 5), 0, 0)),
    ({"type": "CategoryEncoding", "num_tokens": 5, "output_mode": "count"}, (None, 2, 3), ((None, 2, 5), 0, 0)),
    ({"type": "CategoryEncoding", "num_tokens": 5, "output_mode": "one_hot"}, (None, 3), ((None, 3, 5), 0, 0)),
    ({"type": "CategoryEncoding", "num_tokens": 5, "output_mode": "one_hot"}, (None, 1), ((None, 5), 0, 0)),
    ({"type": "CategoryEncoding", "num_tokens": 5, "output_mode": "binary"}, (None, 4), ((None, 5), 0, 0)),
    ({"type": "Discretization", "bin_boundaries": [0.0, 0.5]}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "Discretization", "num_bins": 4, "output_mode": "one_hot"}, (None, 3), ((None, 3, 4), 0, 0)),
    ({"type": "Discretization", "num_bins": 4, "output_mode": "one_hot"}, (None, 1), ((None, 4), 0, 0)),
    ({"type": "Discretization", "bin_boundaries": [1.0], "output_mode": "multi_hot"}, (None, 3, 5), ((None, 5, 2), 0, 0)),
    ({"type": "Discretization", "bin_boundaries": [1.0], "output_mode": "count"}, (None, 3), ((None, 2), 0, 0)),
    ({"type": "Discretization"}, (None, 3), "KS309"),
    ({"type": "Discretization", "num_bins": 2, "bin_boundaries": [1.0]}, (None, 3), "KS211"),
    ({"type": "Discretization", "num_bins": 2, "sparse": True}, (None, 3), "KS211"),
    ({"type": "Hashing", "num_bins": 4}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "Hashing", "num_bins": 4, "output_mode": "multi_hot", "salt": [1, 2], "mask_value": 0}, (None, 2, 3), ((None, 2, 4), 0, 0)),
    ({"type": "Hashing", "num_bins": 4, "sparse": True}, (None, 3), "KS211"),
    # IntegerLookup: int keeps the shape; the encodings are as wide as the vocabulary (OOV and,
    # in int mode only, mask indices included), unknown until adapt without one.
    ({"type": "IntegerLookup"}, (None, 2, 3), ((None, 2, 3), 0, 0)),
    ({"type": "IntegerLookup", "output_mode": "multi_hot"}, (None, 3), ((None, None), 0, 0)),
    ({"type": "IntegerLookup", "output_mode": "one_hot"}, (None, 3), ((None, 3, None), 0, 0)),
    ({"type": "IntegerLookup", "output_mode": "count", "max_tokens": 5, "pad_to_max_tokens": True}, (None, 3), ((None, 5), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "one_hot"}, (None, 3), ((None, 3, 4), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "one_hot"}, (None, 1), ((None, 4), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "one_hot"}, (None,), ((None, 4), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "multi_hot"}, (None, 2, 3), ((None, 2, 4), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "count"}, (None,), ((4,), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "binary", "mask_token": 0}, (None, 3), ((None, 4), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "count", "num_oov_indices": 3}, (None, 3), ((None, 6), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "count", "num_oov_indices": 0}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [-1, 1, 2, 3], "output_mode": "multi_hot"}, (None, 3), ((None, 4), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, -1, 2, 3], "output_mode": "multi_hot"}, (None, 3), ((None, 5), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [-1, 3], "num_oov_indices": 2, "output_mode": "count"}, (None, 3), ((None, 4), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [-1, -1], "output_mode": "count"}, (None, 3), ((None, 2), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "count", "max_tokens": 7, "pad_to_max_tokens": True, "sparse": True}, (None, 3), ((None, 7), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2], "output_mode": "tf-idf", "idf_weights": [0.5, 1]}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [-1, 1, 2], "output_mode": "tf_idf", "idf_weights": [0.1, 0.2, 0.3]}, (4, 3), ((4, 3), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [0, -1, 2, 3], "mask_token": 0, "invert": True}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2], "oov_method": "farmhash", "salt": [1, 2], "num_oov_indices": 2}, (None, 3), ((None, 3), 0, 0)),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "output_mode": "tf_idf"}, (None, 3), "KS211"),
    ({"type": "IntegerLookup", "vocabulary": [1, 2], "output_mode": "tf_idf", "idf_weights": [0.5]}, (None, 3), "KS309"),
    ({"type": "IntegerLookup", "output_mode": "count", "invert": True}, (None, 3), "KS211"),
    ({"type": "IntegerLookup", "invert": True, "oov_token": None}, (None, 3), "KS211"),
    ({"type": "IntegerLookup", "sparse": True}, (None, 3), "KS211"),
    ({"type": "IntegerLookup", "idf_weights": [1.0]}, (None, 3), "KS211"),
    ({"type": "IntegerLookup", "pad_to_max_tokens": True}, (None, 3), "KS211"),
    ({"type": "IntegerLookup", "salt": 3}, (None, 3), "KS211"),
    ({"type": "IntegerLookup", "vocabulary": []}, (None, 3), "KS309"),
    ({"type": "IntegerLookup", "vocabulary": [-1]}, (None, 3), "KS309"),
    ({"type": "IntegerLookup", "vocabulary": [-1, 3, 3]}, (None, 3), "KS309"),
    ({"type": "IntegerLookup", "vocabulary": [0, 2, 3], "mask_token": 0}, (None, 3), "KS309"),
    ({"type": "IntegerLookup", "vocabulary": [-1, 0, 2], "mask_token": 0, "output_mode": "count"}, (None, 3), "KS309"),
    ({"type": "IntegerLookup", "vocabulary": [1, -1, 2], "invert": True}, (None, 3), "KS309"),
    ({"type": "IntegerLookup", "vocabulary": [1, 2, 3], "max_tokens": 3}, (None, 3), "KS309"),
    # Audio.
    ({"type": "MelSpectrogram"}, (None, 16000), ((None, 128, 32), 0, 0)),
    ({"type": "MelSpectrogram", "fft_length": 64, "sequence_stride": 16, "num_mel_bins": 8}, (None, 200), ((None, 8, 13), 0, 0)),
    ({"type": "MelSpectrogram", "fft_length": 64, "sequence_stride": 16}, (None, None), ((None, 128, None), 0, 0)),
    ({"type": "MelSpectrogram", "fft_length": 16, "sequence_length": 32}, (None, 200), "KS309"),
    ({"type": "STFTSpectrogram"}, (None, 1000, 1), ((None, 6, 129), 66048, 0)),
    ({"type": "STFTSpectrogram", "frame_length": 32, "mode": "real"}, (None, 100, 2), ((None, 5, 34), 544, 0)),
    ({"type": "STFTSpectrogram", "frame_length": 32, "mode": "stft", "padding": "same", "frame_step": 8}, (None, 100, 1), ((None, 13, 34), 1088, 0)),
    ({"type": "STFTSpectrogram", "frame_length": 32, "expand_dims": True, "fft_length": 64}, (None, 100, 2), ((None, 5, 33, 2), 2112, 0)),
    ({"type": "STFTSpectrogram", "frame_length": 32, "data_format": "channels_first"}, (None, 1, 100), ((None, 17, 5), 1088, 0)),
    ({"type": "STFTSpectrogram", "frame_length": 32, "data_format": "channels_first", "expand_dims": True}, (None, 2, 100), ((None, 2, 5, 17), 1088, 0)),
    ({"type": "STFTSpectrogram", "frame_length": 32, "trainable": False}, (None, 100, 1), ((None, 5, 17), 0, 1088)),
    ({"type": "STFTSpectrogram", "frame_length": 32}, (None, 20, 1), "KS303"),
    ({"type": "STFTSpectrogram", "frame_length": 32}, (None, 100), "KS302"),
    ({"type": "STFTSpectrogram", "frame_length": 32}, (None, 100, None), "KS308"),
    ({"type": "STFTSpectrogram", "frame_length": 32, "frame_step": 33}, (None, 100, 1), "KS309"),
    ({"type": "STFTSpectrogram", "frame_length": 32, "fft_length": 16}, (None, 100, 1), "KS309"),
    # Pipeline: its layers in order, their weights counted.
    ({"type": "Pipeline", "layers": [{"type": "RandomFlip"}, {"type": "Dense", "units": 3}]}, (None, 4, 4, 2), ((None, 4, 4, 3), 9, 0)),
    ({"type": "Pipeline", "layers": [{"type": "Normalization"}, {"type": "CenterCrop", "height": 2, "width": 2}]}, _IMG, ((None, 2, 2, 3), 0, 7)),
    ({"type": "Pipeline", "layers": [{"type": "CenterCrop", "height": 2, "width": 2}]}, (None, 5), "KS302"),
    # A Repeat inside is written out in the pipeline's list; Keras takes repeated names there.
    ({"type": "Pipeline", "layers": [{"type": "Repeat", "times": 2, "layers": [{"type": "Dense", "units": 3}]}]}, (None, 4), ((None, 3), 27, 0)),
    (
        {"type": "Pipeline", "layers": [{"type": "Repeat", "times": 2, "layers": [{"type": "Dense", "units": 3, "name": "d"}]}]},
        (None, 4),
        ((None, 3), 27, 0),
    ),
    (
        {"type": "Pipeline", "trainable": False, "layers": [{"type": "Sequential", "layers": [{"type": "Dense", "units": 3}]}]},
        (None, 4),
        ((None, 3), 0, 15),
    ),
    ({"type": "Pipeline", "layers": [{"type": "Input", "shape": [4]}, {"type": "Dense", "units": 3}]}, (None, 4), "KS211"),
    # Keras builds a pipeline by tracing it: a stateful layer's states cannot be made there.
    ({"type": "Pipeline", "layers": [{"type": "LSTM", "units": 2, "stateful": True}]}, (2, 5, 3), "KS309"),
    (
        {"type": "Pipeline", "layers": [{"type": "Sequential", "layers": [{"type": "GRU", "units": 2, "stateful": True}]}]},
        (2, 5, 3),
        "KS309",
    ),
    ({"type": "Pipeline", "layers": [{"type": "LSTM", "units": 2}]}, (2, 5, 3), ((2, 2), 48, 0)),
    # Inside a Pipeline the image layers run when it is built: what their call checks applies.
    ({"type": "Pipeline", "layers": [{"type": "RandomFlip"}]}, (None, 4), "KS302"),
    ({"type": "Pipeline", "layers": [{"type": "RandomFlip"}]}, (None, 2, 4, 4, 3), "KS302"),
    ({"type": "Pipeline", "layers": [{"type": "RandomFlip"}]}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "Resizing", "height": 2, "width": 2}]}, (None, 4), "KS302"),
    ({"type": "Pipeline", "layers": [{"type": "CenterCrop", "height": 4, "width": 5}]}, (None, 8, 3), ((None, None, 3), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "CenterCrop", "height": 4, "width": 5}]}, (None, None, 8, 3), ((None, None, None, 3), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "CenterCrop", "height": 4, "width": 5}]}, (None, 8, 8, 3), ((None, 4, 5, 3), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "RandomCrop", "height": 4, "width": 5}]}, (None, 8, 3), "KS308"),
    ({"type": "Pipeline", "layers": [{"type": "RandomCrop", "height": 4, "width": 5}]}, (2, 8, 3), ((4, 5, 3), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "RandomCrop", "height": 4, "width": 5}]}, (None, 8, 8, 8, 3), "KS302"),
    ({"type": "Pipeline", "layers": [{"type": "RandomElasticTransform"}]}, (None, 8, 8, None), "KS308"),
    ({"type": "Pipeline", "layers": [{"type": "RandomErasing"}]}, (None, 8, 8, None), ((None, 8, 8, None), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "CenterCrop", "height": 2, "width": 2}]}, (None, 1, 1), ((2, 2, 1), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "CenterCrop", "height": 2, "width": 2}]}, (2, None, None, 3), ((2, None, None, 3), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "RandomHue", "factor": 0.2}]}, (None, 8, 8, None), ((None, 8, 8, 3), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "RandomGrayscale"}]}, (2, 8, None), "KS309"),
    ({"type": "Pipeline", "layers": [{"type": "RandomErasing"}]}, (None, None, 8, 3), "KS308"),
    ({"type": "Pipeline", "layers": [{"type": "RandomHue", "factor": 0.2}]}, (None, 8, 8, 6), "KS309"),
    ({"type": "Pipeline", "layers": [{"type": "RandomHue", "factor": 0.2}]}, (None, 8, 8, 3), ((None, 8, 8, 3), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "RandomGrayscale"}]}, (None, 8, 8, 1), ((None, 8, 8, 1), 0, 0)),
    ({"type": "Pipeline", "layers": [{"type": "RandomGrayscale"}]}, (None, 8, 6), "KS309"),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "Rescaling": ({"scale": 0.5}, (6,)),
    "Normalization": ({}, (6,)),
    "Resizing": ({"height": 4, "width": 5}, (8, 8, 3)),
    "CenterCrop": ({"height": 4, "width": 5}, (8, 8, 3)),
    "RandomCrop": ({"height": 4, "width": 5}, (8, 8, 3)),
    "RandomFlip": ({}, (8, 8, 3)),
    "RandomRotation": ({"factor": 0.1}, (8, 8, 3)),
    "RandomZoom": ({"height_factor": 0.1}, (8, 8, 3)),
    "RandomTranslation": ({"height_factor": 0.1, "width_factor": 0.1}, (8, 8, 3)),
    "RandomShear": ({}, (8, 8, 3)),
    "RandomPerspective": ({}, (8, 8, 3)),
    "RandomElasticTransform": ({}, (8, 8, 3)),
    "RandomErasing": ({}, (8, 8, 3)),
    "RandomBrightness": ({"factor": 0.1}, (8, 8, 3)),
    "RandomContrast": ({"factor": 0.1}, (8, 8, 3)),
    "RandomSaturation": ({"factor": 0.1}, (8, 8, 3)),
    "RandomHue": ({"factor": 0.1}, (8, 8, 3)),
    "RandomColorDegeneration": ({"factor": 0.1}, (8, 8, 3)),
    "RandomColorJitter": ({}, (8, 8, 3)),
    "RandomGrayscale": ({}, (8, 8, 3)),
    "RandomInvert": ({}, (8, 8, 3)),
    "RandomPosterization": ({"factor": 4}, (8, 8, 3)),
    "RandomSharpness": ({"factor": 0.1}, (8, 8, 3)),
    "RandomGaussianBlur": ({}, (8, 8, 3)),
    "Solarization": ({}, (8, 8, 3)),
    "AutoContrast": ({}, (8, 8, 3)),
    "ContrastLimitedAdaptiveHistogramEqualization": ({}, (8, 8, 3)),
    "RandAugment": ({}, (8, 8, 3)),
    "AugMix": ({}, (8, 8, 3)),
    "CategoryEncoding": ({"num_tokens": 4}, (3,)),
    "Discretization": ({"bin_boundaries": [0.5]}, (3,)),
    "Hashing": ({"num_bins": 4}, (3,)),
    "IntegerLookup": ({"vocabulary": [1, 2, 3]}, (3,)),
    "MelSpectrogram": ({}, (4000,)),
    "STFTSpectrogram": ({}, (1000, 1)),
    "Pipeline": ({"layers": [{"type": "RandomFlip"}]}, (8, 8, 3)),
}

# --------------------------------------------------------------------------- strategies

FORMATS = st.sampled_from(["channels_last", "channels_first", "Channels_Last", "CHANNELS_FIRST"])
SEEDS = st.one_of(st.none(), st.integers(0, 1000))


def _num(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.one_of(st.floats(lo, hi).map(lambda x: round(x, 2)), st.integers(int(lo), int(hi)))


def factor(lo: float, hi: float, *, pair: bool = True, falsy: bool = False) -> st.SearchStrategy[Any]:
    """A factor as users write it: a number or [lower, upper]; now and then out of range, or 3 values."""
    valid = [_num(lo, hi), *([st.lists(_num(lo, hi), min_size=2, max_size=2)] if pair else [])]
    wide = _num(lo - 0.5, hi + 0.5)
    odd = [wide, *([st.lists(wide, min_size=2, max_size=2), st.lists(_num(lo, hi), min_size=3, max_size=3)] if pair else [])]
    if falsy:
        odd += [st.sampled_from([None, [], 0])]
    # Mostly values Keras takes, so that most drawn layers build.
    return st.one_of(*valid, *valid, *valid, *odd)


def value_range(checked: bool) -> st.SearchStrategy[Any]:
    """[0, 255], [0, 1]...; where the constructor checks it, also a number or 3 values (refused)."""
    ok: list[Any] = [[0, 255], [0, 1], [-1, 1], [255, 0], [0.0, 1.0], [0, 255]]
    return st.sampled_from([*ok, 255, [0, 1, 2]] if checked else ok)


def fill_modes(*extra: str) -> st.SearchStrategy[str]:
    """The modes in lower case (what Keras takes), and now and then another case (refused)."""
    modes = ("reflect", "wrap", "constant", "nearest", *extra)
    return st.sampled_from([*modes, *modes, "REFLECT", "Constant"])


#: Affine transforms take `bilinear` and `nearest`, in lower case.
INTERPOLATIONS = st.sampled_from(["bilinear", "nearest", "bilinear", "nearest", "NEAREST", "Bilinear", "bicubic"])


def _image(**fields: st.SearchStrategy[Any]):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        return args(**fields)

    return draw_args


def _sizes() -> st.SearchStrategy[int]:
    return st.integers(1, 12)


def rescaling(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    number = st.one_of(st.floats(-2, 2).map(lambda x: round(x, 3)), st.integers(-2, 2))
    value = st.one_of(number, st.lists(number, min_size=1, max_size=1))
    return args(scale=value, offset=maybe(value))


def normalization(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    axis = st.one_of(
        st.none(), st.just([]), st.integers(-rank - 1, rank), st.lists(st.integers(-rank, rank - 1), min_size=1, max_size=2)
    )
    stats = st.one_of(
        st.floats(0.1, 3).map(lambda x: round(x, 2)),
        st.lists(st.floats(0.1, 3).map(lambda x: round(x, 2)), min_size=1, max_size=4),
    )

    @st.composite
    def draw(draw_: st.DrawFn) -> dict[str, Any]:
        out = draw_(args(axis=maybe(axis), invert=maybe(st.booleans())))
        kind = draw_(st.integers(0, 9))
        if kind < 5:
            return out  # learnt from the data
        mean = draw_(stats)
        if kind == 9:
            return {**out, "mean": mean}  # refused: variance missing
        variance = mean if kind < 8 else draw_(stats)  # same shape, or (usually) not
        return {**out, "mean": mean, "variance": variance}

    return draw()


def resizing(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    aspect = st.sampled_from([{}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True},
                              {"crop_to_aspect_ratio": False, "pad_to_aspect_ratio": False}])  # fmt: skip
    base = args(
        height=_sizes(), width=_sizes(),
        interpolation=maybe(st.sampled_from(["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"])),
        fill_mode=maybe(st.just("constant")), fill_value=maybe(st.floats(-1, 1).map(lambda x: round(x, 2))),
        antialias=maybe(st.booleans()), data_format=maybe(FORMATS),
    )  # fmt: skip
    return st.tuples(base, aspect).map(lambda t: {**t[0], **t[1]})


def crop(seed: bool):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        return args(height=_sizes(), width=_sizes(), data_format=maybe(FORMATS), **({"seed": maybe(SEEDS)} if seed else {}))

    return draw_args


def category_encoding(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        num_tokens=st.sampled_from([1, 2, 3, 4, 5, 6, 0]),
        output_mode=maybe(st.one_of(st.sampled_from(["multi_hot", "one_hot", "count", "binary"]), any_case("one_hot"))),
    )


def discretization(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    bounds = st.lists(st.floats(-2, 2).map(lambda x: round(x, 2)), min_size=0, max_size=4).map(sorted)
    return args(
        bin_boundaries=maybe(bounds),
        num_bins=maybe(st.integers(-1, 5)),
        epsilon=maybe(st.sampled_from([0.01, 0.1])),
        output_mode=maybe(st.one_of(st.sampled_from(["int", "one_hot", "multi_hot", "count"]), any_case("count"))),
    )


def hashing(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    salt = st.one_of(
        st.none(), st.integers(0, 99), st.lists(st.integers(0, 99), min_size=2, max_size=2),
        st.lists(st.integers(0, 9), min_size=3, max_size=3),
    )  # fmt: skip
    return args(
        num_bins=st.sampled_from([1, 2, 3, 4, 5, 6, 0]),
        mask_value=maybe(st.one_of(st.none(), st.integers(0, 3))),
        salt=maybe(salt),
        output_mode=maybe(st.one_of(st.sampled_from(["int", "one_hot", "multi_hot", "count"]), any_case("int"))),
    )


def integer_lookup(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    """A layer Keras takes, written with the spellings users write, and now and then one mistake."""
    weight = st.floats(0.1, 2).map(lambda x: round(x, 2))
    mistakes = st.sampled_from([
        {"output_mode": "Int"}, {"output_mode": "ONE_HOT"}, {"output_mode": "TF_IDF"}, {"num_oov_indices": -1},
        {"max_tokens": 1}, {"max_tokens": 0}, {"max_tokens": 3}, {"vocabulary_dtype": "int32"},
        {"vocabulary_dtype": "INT64"}, {"oov_method": "FarmHash"}, {"salt": 5}, {"salt": [1, 2, 3]},
        {"invert": True}, {"sparse": True}, {"idf_weights": [1.0]}, {"pad_to_max_tokens": True},
        {"oov_token": None, "invert": True}, {"vocabulary": []}, {"vocabulary": [-1]}, {"vocabulary": [4, 4]},
        {"vocabulary": [0, 5], "mask_token": 0}, {"vocabulary": [5, -1], "invert": True},
    ])  # fmt: skip

    @st.composite
    def draw(draw_: st.DrawFn) -> dict[str, Any]:
        mode = draw_(maybe(st.sampled_from(["int", "int", "one_hot", "multi_hot", "count", "tf_idf", "binary", "tf-idf"])))
        encoded = mode not in (OMIT, "int")
        out = draw_(args(
            output_mode=st.just(mode), num_oov_indices=maybe(st.integers(0, 3)),
            mask_token=maybe(st.one_of(st.none(), st.integers(0, 2))), oov_token=maybe(st.sampled_from([-1, 0, 9])),
            invert=st.just(OMIT) if encoded else maybe(st.booleans()),
            sparse=maybe(st.booleans()) if encoded else maybe(st.just(False)),
        ))  # fmt: skip
        if draw_(st.booleans()):
            out["oov_method"] = draw_(st.sampled_from(["floormod", "farmhash"]))
            if out["oov_method"] == "farmhash":
                out.update(draw_(args(salt=maybe(st.one_of(st.none(), st.integers(0, 99), st.lists(st.integers(0, 99), min_size=2, max_size=2))))))
        # The vocabulary: learnt (left out or null), or distinct values, now and then the special tokens first.
        vocab = draw_(st.one_of(st.just(OMIT), st.none(), *[st.lists(st.integers(3, 9), min_size=1, max_size=5, unique=True)] * 3))
        if isinstance(vocab, list) and draw_(st.integers(0, 3)) == 0:
            mask = out.get("mask_token")
            special = [mask] if mask is not None and not encoded else []
            vocab = [*special, *[out.get("oov_token", -1)] * out.get("num_oov_indices", 1), *vocab]
        if vocab is not OMIT:
            out["vocabulary"] = vocab
        given = isinstance(vocab, list)
        if mode in ("tf_idf", "tf-idf") and (given or draw_(st.booleans())):
            n = len(vocab) if given else draw_(st.integers(0, 4))
            out["idf_weights"] = draw_(st.lists(weight, min_size=n, max_size=n))
        if draw_(st.integers(0, 2)) == 0:
            size = len(vocab) + 4 if given else 2
            out["max_tokens"] = draw_(st.integers(size, size + 4))
            out.update(draw_(args(pad_to_max_tokens=maybe(st.booleans()))))
        out.update(draw_(args(vocabulary_dtype=maybe(st.just("int64")))))
        if draw_(st.integers(0, 3)) == 0:
            out.update(draw_(mistakes))
        return out

    return draw()


def mel(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        fft_length=maybe(st.sampled_from([8, 16, 32, 64])),
        sequence_stride=maybe(st.integers(1, 16)),
        sequence_length=maybe(st.one_of(st.none(), st.integers(4, 80))),
        window=maybe(st.sampled_from(["hann", "hamming", None])),
        sampling_rate=maybe(st.sampled_from([8000, 16000])),
        num_mel_bins=maybe(st.integers(1, 16)),
        max_freq=maybe(st.one_of(st.none(), st.just(3000.0))),
        power_to_db=maybe(st.booleans()),
    )


def stft(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        mode=maybe(st.one_of(st.sampled_from(["log", "magnitude", "psd", "real", "imag", "angle", "stft"]), any_case("log"))),
        frame_length=st.integers(1, 8),
        frame_step=maybe(st.one_of(st.none(), st.integers(1, 9))),
        fft_length=maybe(st.one_of(st.none(), st.integers(1, 16))),
        window=maybe(st.sampled_from(["hann", "hamming", "boxcar", "blackman_periodic", None])),
        periodic=maybe(st.booleans()),
        scaling=maybe(st.sampled_from(["density", "spectrum", None])),
        padding=maybe(st.one_of(any_case("valid"), st.just("same"))),
        expand_dims=maybe(st.booleans()),
        data_format=maybe(FORMATS),
    )


def _pipeline_layer() -> st.SearchStrategy[dict[str, Any]]:
    """A layer of a Pipeline: the kinds a preprocessing pipeline holds, and a few it refuses."""
    dense = st.builds(
        lambda units, bias, name: {"type": "Dense", "units": units, **bias, **name},
        st.integers(1, 4),
        st.sampled_from([{}, {}, {"bias_initializer": "zeros"}, {"bias_initializer": "orthogonal"}]),
        st.sampled_from([{}, {}, {}, {"name": "d"}]),  # a repeated name: a Pipeline takes it
    )
    simple = st.sampled_from([
        {"type": "Dropout", "rate": 0.25}, {"type": "Flatten"}, {"type": "BatchNormalization"},
        {"type": "Rescaling", "scale": 0.5}, {"type": "RandomFlip"}, {"type": "RandomContrast", "factor": 0.2},
        {"type": "CenterCrop", "height": 2, "width": 2}, {"type": "Resizing", "height": 3, "width": 3},
        {"type": "Normalization"}, {"type": "GaussianNoise", "stddev": 0.1}, {"type": "Input", "shape": [4]},
        {"type": "RandomCrop", "height": 2, "width": 2}, {"type": "RandomHue", "factor": 0.2},
        {"type": "RandomGrayscale"}, {"type": "RandomErasing"},
    ])  # fmt: skip
    recurrent = st.builds(
        lambda kind, stateful, sequences: {"type": kind, "units": 2, **stateful, **sequences},
        st.sampled_from(["LSTM", "GRU", "SimpleRNN"]),
        st.sampled_from([{}, {"stateful": True}, {"stateful": False}]),
        st.sampled_from([{}, {"return_sequences": True}]),
    )
    plain = st.one_of(dense, dense, simple, simple, recurrent)
    # In a nested Sequential the layers are not checked as traced (see traced_output_shape): no image layers.
    other = st.sampled_from([{"type": "Dropout", "rate": 0.25}, {"type": "Flatten"}, {"type": "BatchNormalization"}])
    nested = st.lists(st.one_of(dense, other, recurrent), min_size=1, max_size=2).map(
        lambda layers: {"type": "Sequential", "layers": layers}
    )
    repeat = st.builds(
        lambda times, layers: {"type": "Repeat", "times": times, "layers": layers},
        st.integers(1, 3),
        st.lists(plain, min_size=1, max_size=2),
    )
    return st.one_of(plain, plain, nested, repeat)


def pipeline(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        layers=st.lists(_pipeline_layer(), min_size=1, max_size=3),
        trainable=maybe(st.booleans()),
        name=maybe(st.just("augment")),
    )


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "Rescaling": ((2, 3, 4), rescaling),
    "Normalization": ((2, 3, 4), normalization),
    "Resizing": ((4,), resizing),
    "CenterCrop": ((4,), crop(False)),
    "RandomCrop": ((4,), crop(True)),
    "RandomFlip": ((4,), _image(
        mode=maybe(st.sampled_from(["horizontal", "vertical", "horizontal_and_vertical"])),
        seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "RandomRotation": ((4,), _image(
        factor=factor(-1, 1, falsy=True), fill_mode=maybe(fill_modes()), interpolation=maybe(INTERPOLATIONS),
        seed=maybe(SEEDS), fill_value=maybe(st.sampled_from([0.0, 1, -0.5])), data_format=maybe(FORMATS))),
    "RandomZoom": ((4,), _image(
        height_factor=factor(-1, 1), width_factor=maybe(st.one_of(st.none(), factor(-1, 1))),
        fill_mode=maybe(fill_modes()), interpolation=maybe(INTERPOLATIONS), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "RandomTranslation": ((4,), _image(
        height_factor=factor(-1, 1), width_factor=factor(-1, 1), fill_mode=maybe(fill_modes()),
        interpolation=maybe(INTERPOLATIONS), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "RandomShear": ((4,), _image(
        x_factor=maybe(factor(0, 1)), y_factor=maybe(factor(0, 1)), interpolation=maybe(INTERPOLATIONS),
        fill_mode=maybe(fill_modes()), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "RandomPerspective": ((4,), _image(
        factor=maybe(factor(0, 1)), scale=maybe(factor(0, 1, pair=False)), interpolation=maybe(INTERPOLATIONS),
        fill_value=maybe(st.just(0.5)), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "RandomElasticTransform": ((4,), _image(
        factor=maybe(factor(0, 1)), scale=maybe(factor(0, 1)), interpolation=maybe(INTERPOLATIONS),
        fill_mode=maybe(fill_modes("mirror")), value_range=maybe(value_range(False)), seed=maybe(SEEDS),
        data_format=maybe(FORMATS))),
    "RandomErasing": ((4,), _image(
        factor=maybe(factor(0, 1)), scale=maybe(factor(0, 1)), fill_value=maybe(st.sampled_from([None, 0.0, 1])),
        value_range=maybe(value_range(False)), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "RandomBrightness": ((4,), _image(factor=factor(-1, 1, falsy=True), value_range=maybe(value_range(True)), seed=maybe(SEEDS))),
    "RandomContrast": ((4,), _image(factor=factor(0, 1), value_range=maybe(value_range(False)), seed=maybe(SEEDS))),
    "RandomSaturation": ((4,), _image(
        factor=factor(-1, 1), value_range=maybe(value_range(True)), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "RandomHue": ((4,), _image(
        factor=factor(0, 1), value_range=maybe(value_range(False)), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "RandomColorDegeneration": ((4,), _image(
        factor=factor(-1, 1), value_range=maybe(value_range(True)), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "RandomColorJitter": ((4,), _image(
        value_range=maybe(value_range(False)),
        brightness_factor=maybe(st.one_of(st.none(), factor(-1, 1, falsy=True))),
        contrast_factor=maybe(st.one_of(st.none(), factor(0, 1))),
        saturation_factor=maybe(st.one_of(st.none(), factor(-1, 1))),
        hue_factor=maybe(st.one_of(st.none(), factor(0, 1))), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "RandomGrayscale": ((4,), _image(factor=maybe(factor(0, 1, pair=False)), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "RandomInvert": ((4,), _image(
        factor=maybe(factor(0, 1)), value_range=maybe(value_range(False)), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "RandomPosterization": ((4,), _image(
        factor=factor(1, 8), value_range=maybe(value_range(True)), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "RandomSharpness": ((4,), _image(
        factor=factor(0, 1), value_range=maybe(value_range(True)), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "RandomGaussianBlur": ((4,), _image(
        factor=maybe(factor(0, 1)), kernel_size=maybe(st.one_of(st.sampled_from([1, 3, 5]), st.lists(st.sampled_from([1, 3, 5]), min_size=2, max_size=2), st.sampled_from([4, 3, 5]))),
        sigma=maybe(factor(0, 1)), value_range=maybe(value_range(False)), data_format=maybe(FORMATS), seed=maybe(SEEDS))),
    "Solarization": ((4,), _image(
        addition_factor=maybe(factor(0, 1)), threshold_factor=maybe(factor(0, 1)),
        value_range=maybe(value_range(True)), seed=maybe(SEEDS))),
    "AutoContrast": ((4,), _image(value_range=maybe(value_range(True)))),
    "ContrastLimitedAdaptiveHistogramEqualization": ((4,), _image(
        value_range=maybe(value_range(False)), clip_limit=maybe(st.sampled_from([2.0, 4, 8.5])),
        tile_grid_size=maybe(st.lists(st.integers(1, 8), min_size=2, max_size=2)), data_format=maybe(FORMATS))),
    "RandAugment": ((4,), _image(
        value_range=maybe(value_range(True)), num_ops=maybe(st.integers(0, 4)), factor=maybe(factor(0, 1)),
        interpolation=maybe(INTERPOLATIONS), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "AugMix": ((4,), _image(
        value_range=maybe(value_range(True)), num_chains=maybe(st.integers(1, 4)), chain_depth=maybe(st.integers(1, 4)),
        factor=maybe(factor(0, 1)), alpha=maybe(st.sampled_from([0.5, 1.0, 2])), all_ops=maybe(st.booleans()),
        interpolation=maybe(INTERPOLATIONS), seed=maybe(SEEDS), data_format=maybe(FORMATS))),
    "CategoryEncoding": ((2, 3), category_encoding),
    "Discretization": ((2, 3), discretization),
    "Hashing": ((2, 3), hashing),
    "IntegerLookup": ((2, 3), integer_lookup),
    "MelSpectrogram": ((2,), mel),
    "STFTSpectrogram": ((3,), stft),
    "Pipeline": ((2, 3, 4), pipeline),
}

#: Kinds whose raw documents sometimes start with `{type: Input, shape, batch_size}` (stateful layers inside).
FIXED_BATCH = frozenset({"Pipeline"})
