<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../app/gui/window.py" line="392"/>
        <source>Not ready: %n problem(s)</source>
        <translation>
            <numerusform>Not ready: %n problem</numerusform>
            <numerusform>Not ready: %n problems</numerusform>
        </translation>
    </message>
</context>
</TS>
