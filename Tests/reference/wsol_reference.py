"""An independent PyTorch implementation of the WSOL method as ../shared/docs/METHOD.md sections 1-2
state it (networks, foreground maps, soft fusion, PNSC, BAS, CAM), for parity tests and benchmarks.
The background pass is done as BAS does it: a deep copy of the f2 block in the current mode, so no
gradient reaches the original block and its running statistics stay untouched.

cfg keys: "method", "classes", "head_width", "softfusion", "contrast", "w1", "w2", "a1", "a2", "w_sf",
"w_pnsc", "detach_s", "alpha", "beta", "bg_bn", "bg_path", "f1_tap", and optionally "w_fg_cls",
"mask_channels", "area_floor", "area_floor_weight",
"area_floor_gradient", "detach_generators", "detach_f3", "pnsc_space", "pnsc_target", "sf_gate", "shallow_gradient" and
"shallow_ratio"."""
import copy
import types

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def conv(cin, cout, k):
    return nn.Conv2d(cin, cout, k, padding=k // 2)


def mixed_6a_stride_one(b, x):
    return torch.cat([b.branch3x3(x), b.branch3x3dbl_3(b.branch3x3dbl_2(b.branch3x3dbl_1(x))),
                      F.max_pool2d(x, 3, 1, 1)], 1)


def mixed_7a_padding_one(b, x):
    return torch.cat([b.branch3x3_2(b.branch3x3_1(x)),
                      b.branch7x7x3_4(b.branch7x7x3_3(b.branch7x7x3_2(b.branch7x7x3_1(x)))),
                      F.max_pool2d(x, 3, 2, 1)], 1)


class Reference(nn.Module):
    def __init__(self, arch, cfg):
        super().__init__()
        self.arch, self.cfg = arch, cfg
        C, W, method = cfg["classes"], cfg["head_width"], cfg["method"]
        uses_g2 = method != "cam"
        uses_g1 = uses_g2 and cfg["softfusion"]
        if arch.startswith("resnet"):
            r = getattr(torchvision.models, arch)()
            for layer in (r.layer3, r.layer4):  # stride 1 in layer3 and layer4
                block = layer[0]
                (block.conv2 if hasattr(block, "conv3") else block.conv1).stride = (1, 1)
                block.downsample[0].stride = (1, 1)
            for name in ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]:
                setattr(self, name, getattr(r, name))
            e = 4 if arch == "resnet50" else 1
            self.taps = {"stem": 64, "layer1": 64 * e, "layer2": 128 * e, "layer3": 256 * e}
            f2c, outc, default_tap = 256 * e, 512 * e, "layer1"
        elif arch == "vgg16":
            self.features = torchvision.models.vgg16().features[:30]  # no pool5
            self.taps = {"relu1_2": 64, "relu2_2": 128, "relu3_3": 256, "relu4_3": 512}
            f2c, outc, default_tap = 512, 512, "relu3_3"
        else:
            m = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=True)
            m.Conv2d_1a_3x3.conv.padding = (1, 1)
            a6, a7 = m.Mixed_6a, m.Mixed_7a
            for c in (a6.branch3x3.conv, a6.branch3x3dbl_3.conv):
                c.stride, c.padding = (1, 1), (1, 1)
            for c in (a7.branch3x3_2.conv, a7.branch7x7x3_4.conv):
                c.padding = (1, 1)
            # Bound methods, so that BAS's deep copy of Mixed_7a runs the copy's own branches.
            a6.forward = types.MethodType(mixed_6a_stride_one, a6)
            a7.forward = types.MethodType(mixed_7a_padding_one, a7)
            for name in ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Conv2d_3b_1x1", "Conv2d_4a_3x3",
                         "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d",
                         "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"]:
                setattr(self, name, getattr(m, name))
            self.taps = {"Conv2d_2b": 64, "Conv2d_4a": 192, "Mixed_5d": 288, "Mixed_6e": 768}
            f2c, outc, default_tap = 768, 2048, "Conv2d_4a"
        self.f1_tap = cfg.get("f1_tap") or default_tap
        self.classifier_cls = nn.Sequential(conv(outc, W, 3), nn.ReLU(), conv(W, W, 3), nn.ReLU(), conv(W, C, 1))
        g2_in = outc if cfg["bg_path"] == "head" else f2c
        if uses_g2:
            G = 1 if cfg.get("mask_channels") == "one" else C  # one class-agnostic map, or one per class
            self.classifier_loc = nn.Sequential(conv(g2_in, G, 3), nn.Sigmoid())
        if uses_g1:
            self.classifier_loc_shallow = nn.Sequential(conv(self.taps[self.f1_tap], G, 3), nn.Sigmoid())

    def stages(self):
        arch = self.arch
        if arch.startswith("resnet"):
            return [("stem", lambda x: self.maxpool(self.relu(self.bn1(self.conv1(x))))),
                    ("layer1", self.layer1), ("layer2", self.layer2), ("layer3", self.layer3)]
        if arch == "vgg16":
            f = self.features
            return [("relu1_2", f[0:4]), ("relu2_2", f[4:9]), ("relu3_3", f[9:16]), ("relu4_3", f[16:23])]
        pool = lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True)
        return [("Conv2d_2b", lambda x: self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))),
                ("Conv2d_4a", lambda x: self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(pool(x)))),
                ("Mixed_5d", lambda x: self.Mixed_5d(self.Mixed_5c(self.Mixed_5b(pool(x))))),
                ("Mixed_6e", lambda x: self.Mixed_6e(self.Mixed_6d(self.Mixed_6c(self.Mixed_6b(self.Mixed_6a(x))))))]

    def rest_modules(self):
        arch = self.arch
        if arch.startswith("resnet"):
            return [self.layer4]
        if arch == "vgg16":
            return [self.features[23:30]]
        return [self.Mixed_7a, self.Mixed_7b, self.Mixed_7c]

    def rest(self, x, modules=None):
        modules = modules or self.rest_modules()
        if self.arch.startswith("resnet"):
            x = F.max_pool2d(x, 2)
        for m in modules:
            x = m(x)
        return x


def select(maps, labels):
    if maps.shape[1] == 1:  # a class-agnostic map
        return maps
    return maps[torch.arange(maps.shape[0]), labels].unsqueeze(1)


def bas_ratio(S, s_bg, labels, arch):
    """BAS-Ext's mean(r): ReLU(S_bg[y]) / ReLU(S[y]) (S detached), a constant where the background wins."""
    B = S.shape[0]
    a = F.relu(s_bg[torch.arange(B), labels])
    b = F.relu(S[torch.arange(B), labels].detach())
    r = a / (b + 1e-8)
    return torch.where(a > b, torch.full_like(r, 0.0 if arch == "vgg16" else 1.0), r).mean()


def forward_and_loss(model, x, labels):
    """One training forward: the outputs (scores, f3, mf2, s_fg, s_bg, mf1) and the loss terms, named as
    wsol names them."""
    cfg, arch, B = model.cfg, model.arch, x.shape[0]
    method = cfg["method"]
    uses_g2 = method != "cam"
    uses_g1 = uses_g2 and cfg["softfusion"]
    feats, h = {}, x
    for name, stage in model.stages():
        h = stage(h)
        feats[name] = h
    f1, f2 = feats[model.f1_tap], h
    last = model.rest(f2)
    f3 = model.classifier_cls(last)
    S = f3.mean((2, 3))
    terms = {"cls": F.cross_entropy(S, labels)}
    outputs = {"scores": S, "f3": f3}
    if uses_g2:
        g2_in = last if cfg["bg_path"] == "head" else f2
        gen_in = (lambda t: t.detach()) if cfg.get("detach_generators") else (lambda t: t)
        mf2 = select(model.classifier_loc(gen_in(g2_in)), labels)
        k = mf2.shape[2] // f3.shape[2]
        f3_fg = f3.detach() if cfg.get("detach_f3") else f3
        s_fg = (f3_fg * (F.avg_pool2d(mf2, k) if k > 1 else mf2)).mean((2, 3))
        # Background pass, as BAS: deep copies of the f2 block in the current mode.
        head_copy = copy.deepcopy(model.classifier_cls)
        erased = g2_in.detach() * (1 - mf2)
        if cfg["bg_bn"] == "running":
            head_copy.eval()
        if cfg["bg_path"] == "head":
            s_bg = head_copy(erased).mean((2, 3))
        else:
            rest_copy = [copy.deepcopy(m) for m in model.rest_modules()]
            for m in rest_copy:
                m.train(cfg["bg_bn"] == "batch")
            s_bg = head_copy(model.rest(erased, rest_copy)).mean((2, 3))
        outputs.update(mf2=mf2, s_fg=s_fg, s_bg=s_bg)
        if uses_g1:
            shallow_in = (lambda t: t) if cfg.get("shallow_gradient") else gen_in  # G1 attached
            mf1 = select(model.classifier_loc_shallow(shallow_in(f1)), labels)
            outputs["mf1"] = mf1
            up = F.interpolate(mf2, size=mf1.shape[2:], mode="bilinear", align_corners=False).detach()
            down = F.adaptive_avg_pool2d(mf1, mf2.shape[2:]).detach()
            s = cfg["w_sf"]
            terms["sf_shallow"] = s * cfg["w1"] * ((mf1 - up) ** 2).mean()
            gate = 1.0  # --sf-gate deep: the deep term weighed by sg(Mf2) dilated 3x3
            if cfg.get("sf_gate", "none") == "deep":
                gate = F.max_pool2d(mf2.detach(), 3, stride=1, padding=1)
            terms["sf_deep"] = s * cfg["w2"] * (gate * (mf2 - down) ** 2).mean()
            terms["sf_area_shallow"] = s * cfg["a1"] * mf1.mean()
            terms["sf_area_deep"] = s * cfg["a2"] * mf2.mean()
            if cfg.get("shallow_ratio", 0) > 0:  # BAS's erasure at F1: a deep copy of everything after F1
                shadow = copy.deepcopy(model)
                shadow.train(cfg["bg_bn"] == "batch")
                h, after_tap = f1.detach() * (1 - mf1), False
                for name, stage in shadow.stages():
                    if after_tap:
                        h = stage(h)
                    after_tap = after_tap or name == model.f1_tap
                outputs["s_bg1"] = shadow.classifier_cls(shadow.rest(h)).mean((2, 3))
        if cfg["contrast"] == "pnsc":
            s_ref = S.detach() if cfg["detach_s"] else S
            v_fg, v_bg = s_fg, s_bg
            if cfg.get("pnsc_space", "scores") == "probabilities":  # cosines between softmax vectors
                s_ref, v_fg, v_bg = (F.softmax(v, dim=1) for v in (s_ref, v_fg, v_bg))
            if cfg.get("pnsc_target", "prediction") == "label":  # the ground truth, one-hot
                s_ref = F.one_hot(labels, S.shape[1]).to(S.dtype)
            terms["pnsc_positive"] = cfg["w_pnsc"] * (1 - F.cosine_similarity(s_ref, v_fg, dim=1)).mean()
            terms["pnsc_negative"] = cfg["w_pnsc"] * F.cosine_similarity(s_ref, v_bg, dim=1).mean()
            if cfg.get("w_fg_cls", 0) > 0:  # the level anchor beside PNSC
                terms["fg_cls"] = cfg["w_fg_cls"] * F.cross_entropy(s_fg, labels)
        else:
            terms["bas_foreground_cls"] = cfg["alpha"] * F.cross_entropy(s_fg, labels)
            terms["bas_ratio"] = bas_ratio(S, s_bg, labels, arch)
        if "s_bg1" in outputs:
            terms["shallow_ratio"] = cfg["shallow_ratio"] * bas_ratio(S, outputs["s_bg1"], labels, arch)
        if method == "bas" or cfg["contrast"] == "bas":
            terms["bas_area"] = cfg["beta"] * mf2.mean()
        if cfg.get("area_floor", 0) > 0:  # each image's mask area must reach the floor
            m = mf2
            if cfg.get("area_floor_gradient", "straight") == "straight":  # slope 1/4 on the logits
                fixed = mf2.detach()
                m = fixed + (mf2 - fixed) * (0.25 / (fixed * (1 - fixed)).clamp(min=1e-30))
            shortfall = F.relu(cfg["area_floor"] - m.flatten(1).mean(1))
            terms["area_floor"] = cfg["area_floor_weight"] * shortfall.mean()
    return outputs, terms
