#!/usr/bin/python3
"""Expected numbers for the recurrent symbolics (aten::lstm/gru/rnn_tanh/rnn_relu and their cells).

Each case builds a tiny torch module with fixed seeded weights, runs it on a fixed input and records the input,
the initial state (when given), the flat weight list in the order torch passes it to the ATen op
(module._flat_weights: per layer and direction w_ih, w_hh, b_ih, b_hh) and torch's outputs in the order the ATen op
returns them. The Java test RecurrentSymbolicsTest feeds the same values through the symbolic in ONNX Runtime.

Run with Debian's /usr/bin/python3 (torch 1.13):  /usr/bin/python3 testdata/torch/symbolics/make_recurrent.py
Writes recurrent.json next to this script.
"""
import json
import os

import torch
import torch.nn as nn


def tensor_json(t):
    t = t.detach().contiguous().float()
    # 9 significant digits identify a float32 exactly and keep the file small.
    return {"shape": list(t.shape), "data": [float("%.9g" % v) for v in t.reshape(-1).tolist()]}


def sequence_case(name, kind, input_size, hidden, layers=1, bidirectional=False, batch_first=False, bias=True,
                  hx="given", seq=3, batch=2):
    torch.manual_seed(sum(map(ord, name)))
    cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn_tanh": nn.RNN, "rnn_relu": nn.RNN}[kind]
    extra = {"nonlinearity": "relu"} if kind == "rnn_relu" else {}
    module = cls(input_size, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first,
                 bias=bias, **extra).eval()
    dirs = 2 if bidirectional else 1
    x = torch.randn(batch, seq, input_size) if batch_first else torch.randn(seq, batch, input_size)
    case = {"name": name, "op": kind, "input_size": input_size, "hidden_size": hidden, "num_layers": layers,
            "bidirectional": bidirectional, "batch_first": batch_first, "bias": bias, "hx": hx,
            "x": tensor_json(x), "weights": [tensor_json(w) for w in module._flat_weights]}
    with torch.no_grad():
        if hx == "given":
            h0 = torch.randn(layers * dirs, batch, hidden)
            case["h0"] = tensor_json(h0)
            if kind == "lstm":
                c0 = torch.randn(layers * dirs, batch, hidden)
                case["c0"] = tensor_json(c0)
                out, (h, c) = module(x, (h0, c0))
                outputs = [out, h, c]
            else:
                out, h = module(x, h0)
                outputs = [out, h]
        else:
            result = module(x)
            outputs = [result[0], *result[1]] if kind == "lstm" else list(result)
    case["outputs"] = [tensor_json(o) for o in outputs]
    return case


def cell_case(name, kind, input_size, hidden, bias=True, hx="given", batch=2):
    torch.manual_seed(sum(map(ord, name)))
    cls = {"lstm_cell": nn.LSTMCell, "gru_cell": nn.GRUCell, "rnn_tanh_cell": nn.RNNCell,
           "rnn_relu_cell": nn.RNNCell}[kind]
    extra = {"nonlinearity": "relu"} if kind == "rnn_relu_cell" else {}
    module = cls(input_size, hidden, bias=bias, **extra).eval()
    x = torch.randn(batch, input_size)
    weights = [module.weight_ih, module.weight_hh] + ([module.bias_ih, module.bias_hh] if bias else [])
    case = {"name": name, "op": kind, "input_size": input_size, "hidden_size": hidden, "num_layers": 1,
            "bidirectional": False, "batch_first": False, "bias": bias, "hx": hx,
            "x": tensor_json(x), "weights": [tensor_json(w) for w in weights]}
    with torch.no_grad():
        if hx == "given":
            h0 = torch.randn(batch, hidden)
            case["h0"] = tensor_json(h0)
            if kind == "lstm_cell":
                c0 = torch.randn(batch, hidden)
                case["c0"] = tensor_json(c0)
                outputs = list(module(x, (h0, c0)))
            else:
                outputs = [module(x, h0)]
        else:
            result = module(x)
            outputs = list(result) if kind == "lstm_cell" else [result]
    case["outputs"] = [tensor_json(o) for o in outputs]
    return case


def main():
    cases = [
        sequence_case("lstm_1layer", "lstm", 4, 5),
        sequence_case("lstm_2layer_batch_first_zeros", "lstm", 4, 5, layers=2, batch_first=True, hx="zeros"),
        sequence_case("lstm_2layer_bidirectional_nobias", "lstm", 4, 3, layers=2, bidirectional=True, bias=False),
        sequence_case("lstm_bidirectional_batch_first", "lstm", 4, 3, bidirectional=True, batch_first=True),
        sequence_case("gru_bidirectional_zeros", "gru", 4, 3, bidirectional=True, hx="zeros"),
        sequence_case("gru_2layer_batch_first_nobias", "gru", 4, 3, layers=2, batch_first=True, bias=False),
        sequence_case("gru_2layer_bidirectional", "gru", 4, 3, layers=2, bidirectional=True),
        sequence_case("rnn_tanh_1layer", "rnn_tanh", 4, 3),
        sequence_case("rnn_tanh_2layer_bidirectional_zeros", "rnn_tanh", 4, 3, layers=2, bidirectional=True,
                      hx="zeros"),
        sequence_case("rnn_relu_bidirectional_batch_first_nobias", "rnn_relu", 4, 3, bidirectional=True,
                      batch_first=True, bias=False),
        cell_case("lstm_cell", "lstm_cell", 4, 5),
        cell_case("lstm_cell_nobias_zeros", "lstm_cell", 4, 5, bias=False, hx="zeros"),
        cell_case("gru_cell", "gru_cell", 4, 3),
        cell_case("rnn_tanh_cell", "rnn_tanh_cell", 4, 3),
        cell_case("rnn_relu_cell_nobias", "rnn_relu_cell", 4, 3, bias=False),
    ]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recurrent.json")
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", out, os.path.getsize(out), "bytes,", len(cases), "cases")


if __name__ == "__main__":
    main()
