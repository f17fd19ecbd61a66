"""The legacy ``csnd`` / ``csnd6`` surface: ``import csoundpp.csnd as csnd``.

Old programs wrote ``cs = csnd.Csound(); cs.Compile("x.csd"); cs.Perform()`` and
drove a ``csnd.CsoundPerformanceThread(cs)`` with ``Play``/``Pause``/``Stop``/``Join``.
Here those classes are csoundpp's own (subclasses), with the CamelCase names of
Csound's C++ interface (csound.hpp, csPerfThread.hpp) bound to the same methods.
Differences from csnd: tables and buffers come as numpy arrays, errors in
arguments raise, and ``SetChannel``/``GetChannel`` pick the channel type from the value.
"""
from __future__ import annotations

from typing import Any, Union

import csoundpp as _cpp
from ._constants import *  # noqa: F401,F403
from ._constants import __all__ as _constants_all

__all__ = ["Csound", "CsoundPerformanceThread", "csoundInitialize", *_constants_all]

csoundInitialize = _cpp.csoundInitialize


class Csound(_cpp.Csound):
    """csoundpp.Csound with csnd's CamelCase method names."""

    def SetChannel(self, name: str, value: Union[float, str]) -> None:
        """Sets a control channel (number) or a string channel (str)."""
        if isinstance(value, (str, bytes)):
            self.setStringChannel(name, value if isinstance(value, str) else value.decode())
        else:
            self.setControlChannel(name, float(value))

    def GetChannel(self, name: str) -> float:
        """Value of a control channel (0.0 when it does not exist, as csnd)."""
        value, err = self.controlChannel(name)
        return float(value) if err == 0 else 0.0

    def GetStringChannel(self, name: str) -> str:
        return self.stringChannel(name)

    def GetControlChannel(self, name: str) -> float:
        return self.GetChannel(name)

    def KeyPressed(self, c: Any) -> None:
        self.keyPress(c)

    def GetCsound(self) -> int:
        return self.csound()


# CamelCase name -> csoundpp method (the same function object, no wrapper)
_SAME = {
    "Compile": "compile_",
    "CompileArgs": "compileArgs",
    "CompileCsd": "compileCsd",
    "CompileCsdText": "compileCsdText",
    "CompileOrc": "compileOrc",
    "EvalCode": "evalCode",
    "ParseOrc": "parseOrc",
    "CompileTree": "compileTree",
    "DeleteTree": "deleteTree",
    "Start": "start",
    "Perform": "perform",
    "PerformKsmps": "performKsmps",
    "PerformBuffer": "performBuffer",
    "Stop": "stop",
    "Cleanup": "cleanup",
    "Reset": "reset",
    "ReadScore": "readScore",
    "InputMessage": "inputMessage",
    "ScoreEvent": "scoreEvent",
    "ScoreEventAbsolute": "scoreEventAbsolute",
    "RewindScore": "rewindScore",
    "GetScoreTime": "scoreTime",
    "IsScorePending": "isScorePending",
    "SetScorePending": "setScorePending",
    "GetScoreOffsetSeconds": "scoreOffsetSeconds",
    "SetScoreOffsetSeconds": "setScoreOffsetSeconds",
    "SetOption": "setOption",
    "SetOutput": "setOutput",
    "SetInput": "setInput",
    "SetMIDIInput": "setMIDIInput",
    "SetMIDIFileInput": "setMIDIFileInput",
    "SetMIDIOutput": "setMIDIOutput",
    "SetMIDIFileOutput": "setMIDIFileOutput",
    "GetOutputName": "outputName",
    "GetInputName": "inputName",
    "GetSr": "sr",
    "GetKr": "kr",
    "GetKsmps": "ksmps",
    "GetNchnls": "nchnls",
    "GetNchnlsInput": "nchnlsInput",
    "Get0dBFS": "get0dBFS",
    "GetCurrentTimeSamples": "currentTimeSamples",
    "GetVersion": "version",
    "GetAPIVersion": "APIVersion",
    "GetDebug": "debug",
    "SetDebug": "setDebug",
    "GetMessageLevel": "messageLevel",
    "SetMessageLevel": "setMessageLevel",
    "GetParams": "params",
    "SetParams": "setParams",
    "GetHostData": "hostData",
    "SetHostData": "setHostData",
    "SystemSr": "systemSr",
    "LoadPlugins": "loadPlugins",
    "SetControlChannel": "setControlChannel",
    "SetStringChannel": "setStringChannel",
    "GetAudioChannel": "audioChannel",
    "SetAudioChannel": "setAudioChannel",
    "GetChannelPtr": "channelPtr",
    "ListChannels": "listChannels",
    "DeleteChannelList": "deleteChannelList",
    "SetControlChannelHints": "setControlChannelHints",
    "GetControlChannelHints": "controlChannelHints",
    "SetInputChannelCallback": "setInputChannelCallback",
    "SetOutputChannelCallback": "setOutputChannelCallback",
    "PvsinSet": "setPvsChannel",
    "PvsoutGet": "pvsChannel",
    "TableLength": "tableLength",
    "TableGet": "tableGet",
    "TableSet": "tableSet",
    "TableCopyOut": "tableCopyOut",
    "TableCopyIn": "tableCopyIn",
    "GetTable": "table",
    "GetSpin": "spin",
    "GetSpout": "spout",
    "GetSpoutSample": "spoutSample",
    "AddSpinSample": "addSpinSample",
    "SetSpinSample": "setSpinSample",
    "GetInputBuffer": "inputBuffer",
    "GetOutputBuffer": "outputBuffer",
    "GetInputBufferSize": "inputBufferSize",
    "GetOutputBufferSize": "outputBufferSize",
    "SetHostImplementedAudioIO": "setHostImplementedAudioIO",
    "SetHostImplementedMIDIIO": "setHostImplementedMIDIIO",
    "CreateMessageBuffer": "createMessageBuffer",
    "DestroyMessageBuffer": "destroyMessageBuffer",
    "GetFirstMessage": "firstMessage",
    "GetFirstMessageAttr": "firstMessageAttr",
    "PopFirstMessage": "popFirstMessage",
    "GetMessageCnt": "messageCnt",
    "Message": "message",
    "MessageS": "messageS",
    "SetMessageCallback": "setMessageStringCallback",
    "GetEnv": "env",
    "SetGlobalEnv": "setGlobalEnv",
    "CreateGlobalVariable": "createGlobalVariable",
    "QueryGlobalVariable": "queryGlobalVariable",
    "QueryGlobalVariableNoCheck": "queryGlobalVariableNoCheck",
    "DestroyGlobalVariable": "destroyGlobalVariable",
    "RunUtility": "runUtility",
    "ListUtilities": "listUtilities",
    "GetUtilityDescription": "utilityDescription",
    "NewOpcodeList": "newOpcodeList",
    "DisposeOpcodeList": "disposeOpcodeList",
    "AppendOpcode": "appendOpcode",
    "RegisterSenseEventCallback": "registerSenseEventCallback",
    "SetYieldCallback": "setYieldCallback",
    "SetCscoreCallback": "setCscoreCallback",
    "SetIsGraphable": "setIsGraphable",
    "SetMakeGraphCallback": "setMakeGraphCallback",
    "SetDrawGraphCallback": "setDrawGraphCallback",
    "SetKillGraphCallback": "setKillGraphCallback",
    "SetExitGraphCallback": "setExitGraphCallback",
    "SetExternalMidiInOpenCallback": "setExternalMidiInOpenCallback",
    "SetExternalMidiReadCallback": "setExternalMidiReadCallback",
    "SetExternalMidiInCloseCallback": "setExternalMidiInCloseCallback",
    "SetExternalMidiOutOpenCallback": "setExternalMidiOutOpenCallback",
    "SetExternalMidiWriteCallback": "setExternalMidiWriteCallback",
    "SetExternalMidiOutCloseCallback": "setExternalMidiOutCloseCallback",
    "SetExternalMidiErrorStringCallback": "setExternalMidiErrorStringCallback",
    "SetPlayopenCallback": "setPlayOpenCallback",
    "SetRtplayCallback": "setRtPlayCallback",
    "SetRecopenCallback": "setRecordOpenCallback",
    "SetRtrecordCallback": "setRtRecordCallback",
    "SetRtcloseCallback": "setRtCloseCallback",
    "GetRtRecordUserData": "rtRecordUserData",
    "GetRtPlayUserData": "rtPlaydUserData",
}
for _new, _old in _SAME.items():
    setattr(Csound, _new, getattr(_cpp.Csound, _old))


class CsoundPerformanceThread(_cpp.CsoundPerformanceThread):
    """csoundpp's performance thread with csnd's names: CsoundPerformanceThread(cs) then
    Play(), Pause(), Stop(), Join(), ScoreEvent(absp2mode, opcod, pfields), InputMessage(s)."""

    def GetStatus(self) -> int:
        return self.status()


for _new, _old in {
    "Play": "play",
    "Pause": "pause",
    "TogglePause": "togglePause",
    "Stop": "stop",
    "Join": "join",
    "Record": "record",
    "StopRecord": "stopRecord",
    "ScoreEvent": "scoreEvent",
    "InputMessage": "inputMessage",
    "SetScoreOffsetSeconds": "setScoreOffsetSeconds",
    "FlushMessageQueue": "flushMessageQueue",
    "SetProcessCallback": "setProcessCallback",
    "IsRunning": "isRunning",
    "GetCsound": "csound",
}.items():
    setattr(CsoundPerformanceThread, _new, getattr(_cpp.CsoundPerformanceThread, _old))
CsoundPerformanceThread.QueueMessage = CsoundPerformanceThread.InputMessage  # type: ignore[attr-defined]
