"""The Python half of examples/embed: receives the C++ program's Csound."""
import csoundpp


def play_part(cs):
    # The object is a full csoundpp.Csound wrapping the C++ program's instance.
    assert isinstance(cs, csoundpp.Csound), type(cs)
    # Asynchronous input is taken by the C++ PerformanceThread at its next k-cycle.
    cs.inputMessageAsync("i 1 0.5 0.2 880")
    print(f"embed_part: got csoundpp.Csound at 0x{cs.csound():x}, scheduled 880 Hz at 0.5 s")
