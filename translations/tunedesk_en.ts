<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>td::ui::EvalPage</name>
    <message numerus="yes">
        <source>Showing %n sample(s) of %1.</source>
        <translation>
            <numerusform>Showing %n sample of %1.</numerusform>
            <numerusform>Showing %n samples of %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>td::ui::EvalResultsView</name>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n sample</numerusform>
            <numerusform>%n samples</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n empty prediction(s), scored 0</source>
        <translation>
            <numerusform>%n empty prediction, scored 0</numerusform>
            <numerusform>%n empty predictions, scored 0</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unreadable line(s) skipped</source>
        <translation>
            <numerusform>%n unreadable line skipped</numerusform>
            <numerusform>%n unreadable lines skipped</numerusform>
        </translation>
    </message>
</context>
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
