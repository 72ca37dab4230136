class ControlFlow(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  scale : float
  linear : __torch__.torch.nn.modules.linear.Linear
  blocks : __torch__.torch.nn.modules.container.ModuleList
  limit : Final[int] = 4
  def forward(self: __torch__.ControlFlow,
    x: Tensor,
    flags: Optional[List[int]]=None) -> Dict[str, Tensor]:
    if bool(torch.gt(torch.sum(x), 0)):
      linear = self.linear
      y = (linear).forward(x, )
    else:
      if bool(torch.lt(torch.sum(x), -1.)):
        y0 = torch.neg(x)
      else:
        y0 = torch.pow(x, 2)
      y = y0
    blocks = self.blocks
    _0 = getattr(blocks, "0")
    _1 = getattr(blocks, "1")
    y1 = (_0).forward(y, )
    y2 = (_1).forward(y1, )
    _2 = bool(torch.gt(torch.mean(y2), 100.))
    y3 = y2
    i = 0
    _3 = torch.__not__(_2)
    while _3:
      y4 = torch.add(y3, 1)
      i0 = torch.add(i, 1)
      if torch.eq(i0, 3):
        _4 = False
      else:
        if torch.lt(i0, 4):
          _6 = torch.gt(torch.mean(y4), 100.)
          _5 = torch.__not__(bool(_6))
        else:
          _5 = False
        _4 = _5
      _3, y3, i = _4, y4, i0
    acc = annotate(List[Tensor], [])
    _7 = 0
    _8 = True
    while _8:
      if torch.eq(_7, 1):
        pass
      else:
        _9 = torch.slice(torch.slice(y3), 1, _7, torch.add(_7, 2))
        _10 = torch.append(acc, _9)
      _11 = torch.add(_7, 1)
      _12 = torch.__and__(torch.lt(_11, 3), True)
      _8, _7 = _12, _11
    z, m, = (self).helper(y3, i, )
    table = {"y": y3, "z": z}
    if torch.__isnot__(flags, None):
      flags0 = unchecked_cast(List[int], flags)
      for _13 in range(torch.len(flags0)):
        f = flags0[_13]
        _14 = torch.mul(z, float(f))
        torch._set_item(table, torch.add("f", str(f)), _14)
    else:
      pass
    if torch.ge(m, 0):
      pass
    else:
      ops.prim.RaiseException("AssertionError: negative")
    if torch.__contains__(table, "z"):
      _15 = torch.ne(torch.len(acc), 0)
    else:
      _15 = False
    if _15:
      torch._set_item(table, "cat", torch.cat(acc, 1))
    else:
      pass
    _16 = torch.bitwise_not(torch.gt(y3, 0))
    _17 = torch.__and__(torch.lt(z, 0), torch.ne(y3, z))
    torch._set_item(table, "neg", torch.__or__(_16, _17))
    _18 = torch.__rshift__(torch.__lshift__(m, 2), 1)
    _19 = [_18, torch.floordiv(m, 2), torch.remainder(m, 3), torch.neg(m)]
    torch._set_item(table, "shift", torch.tensor(_19))
    if torch.gt(m, 2):
      t = x
    else:
      t = y3
    _20 = torch.slice(torch.select(t, 0, 0), 0, 1)
    scale = self.scale
    torch._set_item(table, "t", torch.mul(_20, scale))
    return table
  def helper(self: __torch__.ControlFlow,
    x: Tensor,
    n: int=2) -> Tuple[Tensor, int]:
    return (torch.mul(x, n), torch.add(n, 1))
