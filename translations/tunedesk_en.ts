<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>td::ui::MainWindow</name>
    <message numerus="yes">
        <source>Loaded %n argument(s) from %1</source>
        <translation>
            <numerusform>Loaded %n argument from %1</numerusform>
            <numerusform>Loaded %n arguments from %1</numerusform>
        </translation>
    </message>
</context>
</TS>
