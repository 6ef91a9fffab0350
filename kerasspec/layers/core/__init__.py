"""Core layers: the model's input, fully connected layers, embeddings, activations by name.

What Keras 3 does, read in ``keras/src/layers/core/*.py`` and checked by building
each layer in a ``Sequential``:

- Dense acts on the last axis (any rank >= 2), whose size must be known;
- EinsumDense parses its equation when it builds (``_analyze_einsum_string``,
  ported as :func:`kerasspec.shapes.einsum_dense_shapes`, quirks included);
- Embedding takes any input (float inputs are cast to int32 ids when called) and
  appends ``output_dim``; its table ``(input_dim, output_dim)`` does not depend on
  the input. Keras 3 ignores Keras 2's ``input_length`` with a deprecation warning
  (``"Argument `input_length` is deprecated. Just remove it."``): the spec takes it,
  never passes it on, and warns (KS213) that the sequence length belongs in the
  input shape;
- Masking and Identity pass their input through (Masking marks the steps whose
  features all equal ``mask_value``).
"""

from .input import Input

__all__ = ["Input"]

#: The modules of the family, one per kind of layer, in the order the docs list them.
PARTS = ("input", "dense", "activation", "einsum_dense", "embedding", "masking", "identity")

_LORA = "LoRA fine-tuning of a built model (enable_lora on a trained layer), not a model definition"
_QUANTIZATION = "quantization of a built model (model.quantize), not a model definition"
