<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>TrainingDashboard</name>
    <message>
        <source>GPU (%1)</source>
        <translation>GPU (%1)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Self-supervised learning on anatomy-oriented MR planes</source>
        <translation>Selbstüberwachtes Lernen auf anatomisch ausgerichteten MR-Schichten</translation>
    </message>
    <message>
        <source>Catalog file to open</source>
        <translation>Zu öffnende Katalogdatei</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CatalogBrowser</name>
    <message>
        <source>Search: patient ID or description</source>
        <translation>Suche: Patienten-ID oder Beschreibung</translation>
    </message>
    <message>
        <source>All modalities</source>
        <translation>Alle Modalitäten</translation>
    </message>
    <message>
        <source>Show DICOM tags…</source>
        <translation>DICOM-Tags anzeigen…</translation>
    </message>
    <message>
        <source>Correct view label…</source>
        <translation>Ansicht korrigieren…</translation>
    </message>
    <message>
        <source>automatic</source>
        <extracomment>View label choice: no correction, the view is detected automatically.</extracomment>
        <translation>automatisch</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CatalogJobs</name>
    <message>
        <source>%1 of %2 studies</source>
        <translation>%1 von %2 Studien</translation>
    </message>
    <message>
        <source>curated %1 studies: %2 planes, %3 stacks, %4 flagged planes</source>
        <translation>%1 Studien kuratiert: %2 Ebenen, %3 Stapel, %4 markierte Ebenen</translation>
    </message>
    <message>
        <source>view correction removed</source>
        <translation>Ansichtskorrektur entfernt</translation>
    </message>
    <message>
        <source>view set to %1</source>
        <translation>Ansicht auf %1 gesetzt</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CatalogTreeModel</name>
    <message numerus="yes">
        <source>%n study(ies)</source>
        <translation>
            <numerusform>%n Studie</numerusform>
            <numerusform>%n Studien</numerusform>
        </translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation>(keine Beschreibung)</translation>
    </message>
    <message numerus="yes">
        <source>%n series</source>
        <translation>
            <numerusform>%n Serie</numerusform>
            <numerusform>%n Serien</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, %2 %</source>
        <translation>%1, %2 %</translation>
    </message>
    <message>
        <source> · labels (SEG)</source>
        <translation> · Labels (SEG)</translation>
    </message>
    <message>
        <source> · labelled</source>
        <translation> · gelabelt</translation>
    </message>
    <message>
        <source>View %1 (%2). Double-click to correct it.</source>
        <translation>Ansicht %1 (%2). Zum Korrigieren doppelklicken.</translation>
    </message>
    <message>
        <source>(not curated)</source>
        <translation>(nicht kuratiert)</translation>
    </message>
    <message>
        <source>Patient / study / series</source>
        <translation>Patient / Studie / Serie</translation>
    </message>
    <message>
        <source>View (source, confidence)</source>
        <translation>Ansicht (Quelle, Konfidenz)</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>QA findings</source>
        <translation>QA-Befunde</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>user, pending</source>
        <translation>Benutzer, ausstehend</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CurateReaction</name>
    <message>
        <source>Curate %1</source>
        <translation>%1 kuratieren</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentDataPage</name>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Which studies, which views become training samples, and the grid they are resampled to.</source>
        <translation>Welche Studien und welche Ansichten zu Trainingsbeispielen werden und auf welches Raster sie neu abgetastet werden.</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>Studie</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Serie</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Heart (cardiac MR views)</source>
        <translation>Herz (kardiale MR-Ansichten)</translation>
    </message>
    <message>
        <source>Knee (sagittal, coronal, axial)</source>
        <translation>Knie (sagittal, koronal, axial)</translation>
    </message>
    <message>
        <source> mm</source>
        <extracomment>Unit suffix of a spin box: millimetres.</extracomment>
        <translation> mm</translation>
    </message>
    <message>
        <source> px</source>
        <extracomment>Unit suffix of a spin box: pixels.</extracomment>
        <translation> px</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Organ</source>
        <translation>Organ</translation>
    </message>
    <message>
        <source>Sample views</source>
        <translation>Ansichten der Beispiele</translation>
    </message>
    <message>
        <source>Grid spacing</source>
        <translation>Rasterabstand</translation>
    </message>
    <message>
        <source>Grid size</source>
        <translation>Rastergröße</translation>
    </message>
    <message>
        <source>%1 subjects in %2 studies · planes: %3 · %4 labelled images of %5 subjects%6</source>
        <translation>%1 Probanden in %2 Studien · Ebenen: %3 · %4 gelabelte Bilder von %5 Probanden%6</translation>
    </message>
    <message>
        <source>none (curate the catalog first)</source>
        <translation>keine (zuerst den Katalog kuratieren)</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation> (%1)</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentFeed</name>
    <message>
        <source>prepare the pretraining pool</source>
        <translation>Vortrainings-Pool vorbereiten</translation>
    </message>
    <message>
        <source>prepare the dataset</source>
        <translation>Datensatz vorbereiten</translation>
    </message>
    <message>
        <source>pretrain %1, seed %2</source>
        <translation>%1 vortrainieren, Seed %2</translation>
    </message>
    <message>
        <source>fine-tune %1, %2, seed %3</source>
        <translation>%1 feinabstimmen, %2, Seed %3</translation>
    </message>
    <message>
        <source>all labelled subjects</source>
        <translation>alle gelabelten Probanden</translation>
    </message>
    <message numerus="yes">
        <source>%n labelled subject(s)</source>
        <translation>
            <numerusform>%n gelabelter Proband</numerusform>
            <numerusform>%n gelabelte Probanden</numerusform>
        </translation>
    </message>
    <message>
        <source> (resuming)</source>
        <translation> (wird fortgesetzt)</translation>
    </message>
    <message>
        <source>%1 of %2 studies</source>
        <translation>%1 von %2 Studien</translation>
    </message>
    <message>
        <source>Experiment %1</source>
        <translation>Experiment %1</translation>
    </message>
    <message>
        <source>Study %1</source>
        <translation>Studie %1</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentNetworkPage</name>
    <message>
        <source>Network and optimisation</source>
        <translation>Netz und Optimierung</translation>
    </message>
    <message>
        <source>compact suits 96–128 px on a CPU; paper is the published U-Net (base 64) for 224 px on a GPU.</source>
        <translation>compact eignet sich für 96–128 px auf einer CPU; paper ist das veröffentlichte U-Net (Basis 64) für 224 px auf einer GPU.</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>alle Kerne</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Voreinstellung</translation>
    </message>
    <message>
        <source>Base width (channels)</source>
        <translation>Basisbreite (Kanäle)</translation>
    </message>
    <message>
        <source>Depth (encoder blocks)</source>
        <translation>Tiefe (Encoder-Blöcke)</translation>
    </message>
    <message>
        <source>Pretraining epochs</source>
        <translation>Epochen Vortraining</translation>
    </message>
    <message>
        <source>Fine-tuning epochs</source>
        <translation>Epochen Feinabstimmung</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU-Threads</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentPretextPage</name>
    <message>
        <source>Pretext tasks</source>
        <translation>Prätext-Aufgaben</translation>
    </message>
    <message>
        <source>The arms to compare (each pretrained separately; scratch is the baseline) and how the targets are built. The preview shows the targets on sample images.</source>
        <translation>Die zu vergleichenden Arme (jeder separat vortrainiert; „von Grund auf“ ist die Baseline) und wie die Ziele erzeugt werden. Die Vorschau zeigt die Ziele auf Beispielbildern.</translation>
    </message>
    <message>
        <source>Arms</source>
        <translation>Arme</translation>
    </message>
    <message>
        <source>scratch (no pretraining)</source>
        <translation>von Grund auf (ohne Vortraining)</translation>
    </message>
    <message>
        <source>multitask: intersecting lines + slice location</source>
        <translation>Multitask: Schnittlinien + Schichtposition</translation>
    </message>
    <message>
        <source>orientation only (intersecting lines)</source>
        <translation>nur Orientierung (Schnittlinien)</translation>
    </message>
    <message>
        <source>location only (slice location)</source>
        <translation>nur Position (Schichtposition)</translation>
    </message>
    <message>
        <source>Models-Genesis-style restoration (baseline)</source>
        <translation>Wiederherstellung nach Models Genesis (Baseline)</translation>
    </message>
    <message>
        <source>control: multitask on permuted targets</source>
        <translation>Kontrolle: Multitask mit permutierten Zielen</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>anatomical (base → apex)</source>
        <translation>anatomisch (Basis → Apex)</translation>
    </message>
    <message>
        <source>paper (slice order)</source>
        <translation>wie in der Publikation (Schichtreihenfolge)</translation>
    </message>
    <message>
        <source>Another sample</source>
        <translation>Anderes Beispiel</translation>
    </message>
    <message>
        <source>Heatmap weight α</source>
        <translation>Heatmap-Gewicht α</translation>
    </message>
    <message>
        <source>Location weight β</source>
        <translation>Positionsgewicht β</translation>
    </message>
    <message>
        <source>Heatmap channels (views)</source>
        <translation>Heatmap-Kanäle (Ansichten)</translation>
    </message>
    <message>
        <source>Ridge width σ</source>
        <translation>Gratbreite σ</translation>
    </message>
    <message>
        <source>Slice location</source>
        <translation>Schichtposition</translation>
    </message>
    <message>
        <source>location %1</source>
        <translation>Position %1</translation>
    </message>
    <message>
        <source>no location</source>
        <translation>keine Position</translation>
    </message>
    <message>
        <source>%1 · %2 · targets on the %3 mm × %4 px grid, σ %5 px</source>
        <translation>%1 · %2 · Ziele auf dem Raster %3 mm × %4 px, σ %5 px</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentReviewPage</name>
    <message>
        <source>Start the experiment when I click Finish</source>
        <translation>Experiment beim Klick auf „Abschließen“ starten</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Überprüfung</translation>
    </message>
    <message>
        <source>Finish saves OUT/experiment.json — run it later with `planelab-cli experiment --config OUT/experiment.json`.</source>
        <translation>„Abschließen“ speichert OUT/experiment.json — später ausführen mit `planelab-cli experiment --config OUT/experiment.json`.</translation>
    </message>
    <message>
        <source>pretraining vs scratch</source>
        <translation>Vortraining vs. von Grund auf</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Experiment folder</source>
        <translation>Experimentordner</translation>
    </message>
    <message>
        <source>%1 pretraining and %2 fine-tuning runs</source>
        <translation>%1 Vortrainings- und %2 Feinabstimmungsläufe</translation>
    </message>
    <message>
        <source> · the folder holds this experiment: finished runs are kept, interrupted ones resume</source>
        <translation> · der Ordner enthält dieses Experiment: abgeschlossene Läufe bleiben erhalten, unterbrochene werden fortgesetzt</translation>
    </message>
    <message>
        <source>⚠ The folder is not empty and holds no copy of this experiment; choose another (nothing is overwritten) [experiment_exists]</source>
        <translation>⚠ Der Ordner ist nicht leer und enthält keine Kopie dieses Experiments; wählen Sie einen anderen (nichts wird überschrieben) [experiment_exists]</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentTargetPage</name>
    <message>
        <source>Target task</source>
        <translation>Zielaufgabe</translation>
    </message>
    <message>
        <source>What the pretrained networks are fine-tuned for, with how many labelled subjects, repeated for each seed (the label draw is nested across budgets).</source>
        <translation>Wofür die vortrainierten Netze feinabgestimmt werden, mit wie vielen gelabelten Probanden, wiederholt für jeden Seed (die Label-Auswahl ist über die Budgets verschachtelt).</translation>
    </message>
    <message>
        <source>Segmentation (labels from DICOM SEG)</source>
        <translation>Segmentierung (Labels aus DICOM SEG)</translation>
    </message>
    <message>
        <source>Classification (a label per subject)</source>
        <translation>Klassifikation (ein Label pro Proband)</translation>
    </message>
    <message>
        <source>CSV with patient_id,label</source>
        <translation>CSV mit patient_id,label</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Labelled subjects per fine-tuning, comma separated; 0 = all</source>
        <translation>Gelabelte Probanden pro Feinabstimmung, durch Kommas getrennt; 0 = alle</translation>
    </message>
    <message>
        <source>encoder and decoder (official code)</source>
        <translation>Encoder und Decoder (offizieller Code)</translation>
    </message>
    <message>
        <source>encoder only</source>
        <translation>nur Encoder</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Class labels</source>
        <translation>Klassen-Labels</translation>
    </message>
    <message>
        <source>Label budgets</source>
        <translation>Label-Budgets</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>Seeds</translation>
    </message>
    <message>
        <source>Weights transferred</source>
        <translation>Übertragene Gewichte</translation>
    </message>
    <message>
        <source>CSV (*.csv);;All files (*)</source>
        <translation>CSV (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Label budgets: whole numbers ≥ 0, comma separated</source>
        <translation>Label-Budgets: ganze Zahlen ≥ 0, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Seeds: whole numbers, comma separated</source>
        <translation>Seeds: ganze Zahlen, durch Kommas getrennt</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentWizard</name>
    <message>
        <source>New experiment</source>
        <translation>Neues Experiment</translation>
    </message>
    <message>
        <source>Select at least one study.</source>
        <translation>Wählen Sie mindestens eine Studie aus.</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExportDialog</name>
    <message>
        <source>Replace an existing model and card</source>
        <translation>Vorhandenes Modell und Modellkarte ersetzen</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>Modell exportieren</translation>
    </message>
    <message>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <source>ONNX, opset 17 (.onnx)</source>
        <translation>ONNX, Opset 17 (.onnx)</translation>
    </message>
    <message>
        <source>best (selected on validation)</source>
        <translation>bester (anhand der Validierung ausgewählt)</translation>
    </message>
    <message>
        <source>last epoch</source>
        <translation>letzte Epoche</translation>
    </message>
    <message>
        <source>the run&apos;s heads (predictions)</source>
        <translation>die Köpfe des Laufs (Vorhersagen)</translation>
    </message>
    <message>
        <source>the encoder&apos;s features (to fine-tune elsewhere)</source>
        <translation>die Merkmale des Encoders (zur Feinabstimmung an anderer Stelle)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Writes a TorchScript file (torch.jit.load in Python, torch::jit::load in C++) or an ONNX graph (ONNX Runtime) and, next to it, its model card (&lt;file&gt;.card.json) with the preprocessing, labels and provenance. See docs/export.md.</source>
        <translation>Schreibt eine TorchScript-Datei (torch.jit.load in Python, torch::jit::load in C++) oder einen ONNX-Graphen (ONNX Runtime) und daneben dessen Modellkarte (&lt;file&gt;.card.json) mit Vorverarbeitung, Labels und Herkunft. Siehe docs/export.md.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>Model returns</source>
        <translation>Modell liefert</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>Modelldatei</translation>
    </message>
    <message>
        <source>TorchScript (*.pt);;ONNX (*.onnx)</source>
        <translation>TorchScript (*.pt);;ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <source>building, writing and checking the model</source>
        <translation>Modell wird erstellt, geschrieben und geprüft</translation>
    </message>
    <message>
        <source>wrote %1 and %2; reloaded outputs differ by at most %3</source>
        <translation>%1 und %2 geschrieben; neu geladene Ausgaben weichen um höchstens %3 ab</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportOptionsPage</name>
    <message>
        <source>Also read hidden files (dotfiles, macOS ._* files)</source>
        <translation>Auch versteckte Dateien lesen (Dotfiles, macOS-._*-Dateien)</translation>
    </message>
    <message>
        <source>De-identify patients</source>
        <translation>Patienten de-identifizieren</translation>
    </message>
    <message>
        <source>Curate after import</source>
        <translation>Nach dem Import kuratieren</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>The same choices as planelab-cli import (and planelab-cli curate).</source>
        <translation>Dieselben Optionen wie planelab-cli import (und planelab-cli curate).</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Threads reading DICOM headers while one writer fills the catalog; curation uses as many workers.</source>
        <translation>Threads, die DICOM-Header lesen, während ein Schreiber den Katalog füllt; die Kuratierung verwendet ebenso viele Worker.</translation>
    </message>
    <message>
        <source>De-identification key</source>
        <translation>De-Identifizierungsschlüssel</translation>
    </message>
    <message>
        <source>From file…</source>
        <translation>Aus Datei…</translation>
    </message>
    <message>
        <source>Use the first line of a file as the key (as --key-file).</source>
        <translation>Die erste Zeile einer Datei als Schlüssel verwenden (wie --key-file).</translation>
    </message>
    <message>
        <source>Header-reading threads:</source>
        <translation>Threads zum Lesen der Header:</translation>
    </message>
    <message>
        <source>Stacks, view labels, the intersections of every pair of planes, QA findings and the breath-hold misalignment score of every study, as planelab-cli curate (reads pixels for the score).</source>
        <translation>Stapel, Ansichten, die Schnittlinien jedes Ebenenpaars, QA-Befunde und der Atemanhalte-Versatzwert jeder Studie, wie planelab-cli curate (liest für den Wert die Pixel).</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Schlüsseldatei</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Patient name, ID and birth date are stored as keyed pseudonyms (HMAC-SHA256). The key is yours: it is never stored, and the same key gives the same pseudonyms in later imports.</source>
        <translation>Name, ID und Geburtsdatum des Patienten werden als schlüsselbasierte Pseudonyme (HMAC-SHA256) gespeichert. Der Schlüssel gehört Ihnen: Er wird nie gespeichert, und derselbe Schlüssel ergibt bei späteren Importen dieselben Pseudonyme.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Enter a key to continue.&lt;/b&gt;</source>
        <translation>&lt;b&gt;Geben Sie einen Schlüssel ein, um fortzufahren.&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportProgressPage</name>
    <message>
        <source>Cancel import</source>
        <translation>Import abbrechen</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>The import runs as a job: it also shows in the Jobs panel.</source>
        <translation>Der Import läuft als Auftrag: Er erscheint auch im Bereich „Aufträge“.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Phase:</source>
        <translation>Phase:</translation>
    </message>
    <message>
        <source>Done:</source>
        <translation>Erledigt:</translation>
    </message>
    <message>
        <source>Rate:</source>
        <translation>Rate:</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>Zeit:</translation>
    </message>
    <message>
        <source>Cancelling keeps every batch already written to the catalog; run the same import again to finish it (files already indexed are not read again). Closing this window does not stop the import.</source>
        <translation>Beim Abbrechen bleibt jeder bereits in den Katalog geschriebene Batch erhalten; führen Sie denselben Import erneut aus, um ihn abzuschließen (bereits indizierte Dateien werden nicht erneut gelesen). Das Schließen dieses Fensters beendet den Import nicht.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Import into %1</source>
        <translation>Import in %1</translation>
    </message>
    <message>
        <source>studies</source>
        <translation>Studien</translation>
    </message>
    <message>
        <source>files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation>%1 von %2 %3</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2/s</source>
        <translation>%1 %2/s</translation>
    </message>
    <message>
        <source>elapsed %1 · ETA %2</source>
        <translation>%1 vergangen · Restzeit %2</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportSourcesPage</name>
    <message>
        <source>Sources</source>
        <translation>Quellen</translation>
    </message>
    <message>
        <source>Folders (read recursively), DICOM files and DICOMDIRs to import into %1.</source>
        <translation>Ordner (rekursiv gelesen), DICOM-Dateien und DICOMDIRs zum Import in %1.</translation>
    </message>
    <message>
        <source>the catalog</source>
        <translation>den Katalog</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Dateien hinzufügen…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Drop folders or files here. Files already in the catalog and unchanged (same size and modification time) are not read again.</source>
        <translation>Ordner oder Dateien hierher ziehen. Dateien, die bereits im Katalog und unverändert sind (gleiche Größe und Änderungszeit), werden nicht erneut gelesen.</translation>
    </message>
    <message>
        <source>Add a folder to import</source>
        <translation>Zu importierenden Ordner hinzufügen</translation>
    </message>
    <message>
        <source>Add DICOM files or DICOMDIRs</source>
        <translation>DICOM-Dateien oder DICOMDIRs hinzufügen</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportSummaryPage</name>
    <message>
        <source>Issue</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>QA finding</source>
        <translation>QA-Befund</translation>
    </message>
    <message>
        <source>Curation</source>
        <translation>Kuratierung</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>found</source>
        <translation>gefunden</translation>
    </message>
    <message>
        <source>read</source>
        <translation>gelesen</translation>
    </message>
    <message>
        <source>unchanged (skipped)</source>
        <translation>unverändert (übersprungen)</translation>
    </message>
    <message>
        <source>missing now</source>
        <translation>jetzt fehlend</translation>
    </message>
    <message>
        <source>import issues</source>
        <translation>Importprobleme</translation>
    </message>
    <message>
        <source>read rate (files/s)</source>
        <translation>Leserate (Dateien/s)</translation>
    </message>
    <message>
        <source>Added to the catalog</source>
        <translation>Zum Katalog hinzugefügt</translation>
    </message>
    <message>
        <source>patients</source>
        <translation>Patienten</translation>
    </message>
    <message>
        <source>studies</source>
        <translation>Studien</translation>
    </message>
    <message>
        <source>series</source>
        <translation>Serien</translation>
    </message>
    <message>
        <source>instances</source>
        <translation>Instanzen</translation>
    </message>
    <message>
        <source>label sets</source>
        <translation>Label-Sets</translation>
    </message>
    <message>
        <source>instances updated</source>
        <translation>Instanzen aktualisiert</translation>
    </message>
    <message>
        <source>planes</source>
        <translation>Ebenen</translation>
    </message>
    <message>
        <source>stacks</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>intersections</source>
        <translation>Schnittlinien</translation>
    </message>
    <message>
        <source>planes flagged (misalignment)</source>
        <translation>markierte Ebenen (Versatz)</translation>
    </message>
    <message>
        <source>images left out (no geometry)</source>
        <translation>ausgelassene Bilder (keine Geometrie)</translation>
    </message>
    <message>
        <source>Show issues</source>
        <translation>Probleme anzeigen</translation>
    </message>
    <message>
        <source>Import issues (per key):</source>
        <translation>Importprobleme (pro Schlüssel):</translation>
    </message>
    <message>
        <source>QA findings (per key):</source>
        <translation>QA-Befunde (pro Schlüssel):</translation>
    </message>
    <message>
        <source>Curation failed: [%1] %2</source>
        <translation>Kuratierung fehlgeschlagen: [%1] %2</translation>
    </message>
    <message>
        <source>Import failed: [%1] %2</source>
        <translation>Import fehlgeschlagen: [%1] %2</translation>
    </message>
    <message>
        <source>The import itself is complete.</source>
        <translation>Der Import selbst ist abgeschlossen.</translation>
    </message>
    <message>
        <source>Curation cancelled. The import is complete; the studies curated before the cancel are stored. Run the curation again to finish it.</source>
        <translation>Kuratierung abgebrochen. Der Import ist abgeschlossen; die vor dem Abbruch kuratierten Studien sind gespeichert. Führen Sie die Kuratierung erneut aus, um sie abzuschließen.</translation>
    </message>
    <message>
        <source>Import cancelled. Every batch written before the cancel is in the catalog; run the same import again to finish it (files already indexed are not read again).</source>
        <translation>Import abgebrochen. Jeder vor dem Abbruch geschriebene Batch ist im Katalog; führen Sie denselben Import erneut aus, um ihn abzuschließen (bereits indizierte Dateien werden nicht erneut gelesen).</translation>
    </message>
    <message>
        <source>Import and curation complete.</source>
        <translation>Import und Kuratierung abgeschlossen.</translation>
    </message>
    <message>
        <source>Import complete.</source>
        <translation>Import abgeschlossen.</translation>
    </message>
    <message numerus="yes">
        <source>%n import issue(s): files that could not be used fully.</source>
        <translation>
            <numerusform>%n Importproblem: eine Datei, die nicht vollständig verwendet werden konnte.</numerusform>
            <numerusform>%n Importprobleme: Dateien, die nicht vollständig verwendet werden konnten.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportWizard</name>
    <message>
        <source>Finding files</source>
        <translation>Dateien werden gesucht</translation>
    </message>
    <message>
        <source>Reading headers and writing to the catalog</source>
        <translation>Header werden gelesen und in den Katalog geschrieben</translation>
    </message>
    <message>
        <source>Curating: stacks, views, intersections, QA, misalignment</source>
        <translation>Kuratierung: Stapel, Ansichten, Schnittlinien, QA, Versatz</translation>
    </message>
    <message>
        <source>import run %1: %2 files found, %3 read, %4 unchanged, %5 missing (%6 s, %7 files/s); added %8 patients, %9 studies, %10 series, %11 instances, %12 label sets</source>
        <translation>Importlauf %1: %2 Dateien gefunden, %3 gelesen, %4 unverändert, %5 fehlend (%6 s, %7 Dateien/s); hinzugefügt: %8 Patienten, %9 Studien, %10 Serien, %11 Instanzen, %12 Label-Sets</translation>
    </message>
    <message>
        <source>curation run %1: %2 studies, %3 planes, %4 stacks, %5 intersections, %6 planes flagged for misalignment (%7 s)</source>
        <translation>Kuratierungslauf %1: %2 Studien, %3 Ebenen, %4 Stapel, %5 Schnittlinien, %6 wegen Versatz markierte Ebenen (%7 s)</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Import DICOM</source>
        <translation>DICOM importieren</translation>
    </message>
</context>
<context>
    <name>planelab::ui::IssuesPanel</name>
    <message>
        <source>A path given to import does not exist.</source>
        <translation>Ein zum Import angegebener Pfad existiert nicht.</translation>
    </message>
    <message>
        <source>Check the path; mount the drive or CD.</source>
        <translation>Pfad prüfen; Laufwerk oder CD einhängen.</translation>
    </message>
    <message>
        <source>A folder cannot be listed or a file cannot be opened or read.</source>
        <translation>Ein Ordner kann nicht aufgelistet oder eine Datei nicht geöffnet oder gelesen werden.</translation>
    </message>
    <message>
        <source>Fix the permissions or copy the data to a healthy disk; re-import.</source>
        <translation>Berechtigungen korrigieren oder die Daten auf einen intakten Datenträger kopieren; erneut importieren.</translation>
    </message>
    <message>
        <source>A file referenced by a DICOMDIR or a link is not there, or vanished before it was read.</source>
        <translation>Eine von einem DICOMDIR oder einem Link referenzierte Datei ist nicht vorhanden oder verschwand, bevor sie gelesen wurde.</translation>
    </message>
    <message>
        <source>Copy the missing files; re-import.</source>
        <translation>Fehlende Dateien kopieren; erneut importieren.</translation>
    </message>
    <message>
        <source>A DICOMDIR entry points outside the DICOMDIR&apos;s folder; it was not read.</source>
        <translation>Ein DICOMDIR-Eintrag verweist aus dem Ordner des DICOMDIR heraus; er wurde nicht gelesen.</translation>
    </message>
    <message>
        <source>Import the folder that holds the files instead of the DICOMDIR.</source>
        <translation>Statt des DICOMDIR den Ordner importieren, der die Dateien enthält.</translation>
    </message>
    <message>
        <source>Not a DICOM file (text, random bytes, an empty file, PDF, …).</source>
        <translation>Keine DICOM-Datei (Text, zufällige Bytes, leere Datei, PDF, …).</translation>
    </message>
    <message>
        <source>Nothing if it is not meant to be DICOM; otherwise get it again.</source>
        <translation>Nichts, wenn es keine DICOM-Datei sein soll; sonst erneut beschaffen.</translation>
    </message>
    <message>
        <source>The file ends too early. Cut in (or just before) the pixel data: indexed, but its pixels are incomplete; cut earlier: not indexed.</source>
        <translation>Die Datei endet zu früh. Abgeschnitten in (oder kurz vor) den Pixeldaten: indiziert, aber die Pixel sind unvollständig; früher abgeschnitten: nicht indiziert.</translation>
    </message>
    <message>
        <source>Copy the file again from the source.</source>
        <translation>Datei erneut von der Quelle kopieren.</translation>
    </message>
    <message>
        <source>Says it is DICOM but its data set cannot be parsed (see the detail).</source>
        <translation>Gibt sich als DICOM aus, aber der Datensatz kann nicht geparst werden (siehe Detail).</translation>
    </message>
    <message>
        <source>Get the file again; if the scanner or PACS made it so, report it.</source>
        <translation>Datei erneut beschaffen; wenn Scanner oder PACS sie so erzeugt haben, melden.</translation>
    </message>
    <message>
        <source>Unknown transfer syntax: indexed only if it reads as Explicit VR Little Endian, and its pixels cannot be decoded.</source>
        <translation>Unbekannte Transfer-Syntax: nur indiziert, wenn sie sich als Explicit VR Little Endian lesen lässt; die Pixel können nicht dekodiert werden.</translation>
    </message>
    <message>
        <source>Convert to a standard syntax (e.g. dcmconv +te) and re-import.</source>
        <translation>In eine Standard-Syntax konvertieren (z. B. dcmconv +te) und erneut importieren.</translation>
    </message>
    <message>
        <source>Text could not be converted to UTF-8 as declared; stored as Latin-1. Indexed.</source>
        <translation>Text konnte nicht wie deklariert nach UTF-8 konvertiert werden; als Latin-1 gespeichert. Indiziert.</translation>
    </message>
    <message>
        <source>Usually nothing; names may look wrong.</source>
        <translation>Meist nichts; Namen können falsch aussehen.</translation>
    </message>
    <message>
        <source>An image or SEG without SOPInstanceUID: it cannot be indexed.</source>
        <translation>Ein Bild oder SEG ohne SOPInstanceUID: kann nicht indiziert werden.</translation>
    </message>
    <message>
        <source>Report it to whoever produced the file.</source>
        <translation>Dem Ersteller der Datei melden.</translation>
    </message>
    <message>
        <source>An image or SEG without StudyInstanceUID or SeriesInstanceUID: it cannot be indexed.</source>
        <translation>Ein Bild oder SEG ohne StudyInstanceUID oder SeriesInstanceUID: kann nicht indiziert werden.</translation>
    </message>
    <message>
        <source>An image without position, orientation or pixel spacing: indexed, but curation cannot place it in space.</source>
        <translation>Ein Bild ohne Position, Orientierung oder Pixelabstand: indiziert, aber die Kuratierung kann es nicht räumlich verorten.</translation>
    </message>
    <message>
        <source>Nothing for screenshots; for MR series check the export settings.</source>
        <translation>Bei Screenshots nichts; bei MR-Serien die Exporteinstellungen prüfen.</translation>
    </message>
    <message>
        <source>Geometry present but unusable: indexed with the invalid fields empty, left out of stacks and intersections.</source>
        <translation>Geometrie vorhanden, aber unbrauchbar: mit leeren ungültigen Feldern indiziert, von Stapeln und Schnittlinien ausgeschlossen.</translation>
    </message>
    <message>
        <source>A DICOM object that is not an image (SR, RT, presentation state, PDF, …); recorded without instances.</source>
        <translation>Ein DICOM-Objekt, das kein Bild ist (SR, RT, Presentation State, PDF, …); ohne Instanzen erfasst.</translation>
    </message>
    <message>
        <source>Nothing.</source>
        <translation>Nichts.</translation>
    </message>
    <message>
        <source>A DICOMDIR met as an ordinary file (given to the reader, or under another name in a folder).</source>
        <translation>Ein DICOMDIR, das als gewöhnliche Datei angetroffen wurde (dem Leser übergeben oder unter anderem Namen in einem Ordner).</translation>
    </message>
    <message>
        <source>The same SOP Instance UID in two files: the instance already indexed is kept, this one is not stored.</source>
        <translation>Dieselbe SOP Instance UID in zwei Dateien: Die bereits indizierte Instanz bleibt erhalten, diese wird nicht gespeichert.</translation>
    </message>
    <message>
        <source>Usually a copied file: remove one copy.</source>
        <translation>Meist eine kopierte Datei: eine Kopie entfernen.</translation>
    </message>
    <message>
        <source>An image arrived without patient, study or series records; not stored.</source>
        <translation>Ein Bild kam ohne Patienten-, Studien- oder Serieneintrag an; nicht gespeichert.</translation>
    </message>
    <message>
        <source>Report it.</source>
        <translation>Melden.</translation>
    </message>
    <message>
        <source>PlaneLab failed unexpectedly on this file (out of memory, a bug).</source>
        <translation>PlaneLab ist bei dieser Datei unerwartet gescheitert (Speichermangel, ein Programmfehler).</translation>
    </message>
    <message>
        <source>Report it with the file if possible.</source>
        <translation>Wenn möglich mit der Datei melden.</translation>
    </message>
    <message>
        <source>Filter: key, path, message or detail</source>
        <translation>Filter: Schlüssel, Pfad, Meldung oder Detail</translation>
    </message>
    <message>
        <source>Issue / file</source>
        <translation>Problem / Datei</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Meaning / message</source>
        <translation>Bedeutung / Meldung</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Last import run (%1)</source>
        <translation>Letzter Importlauf (%1)</translation>
    </message>
    <message>
        <source>All runs (every file&apos;s current issues)</source>
        <translation>Alle Läufe (aktuelle Probleme jeder Datei)</translation>
    </message>
    <message>
        <source>Run %1 · %2 · %3</source>
        <translation>Lauf %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Cannot read the issues: [%1] %2</source>
        <translation>Die Probleme können nicht gelesen werden: [%1] %2</translation>
    </message>
    <message>
        <source>%1
What to do: %2</source>
        <translation>%1
Was zu tun ist: %2</translation>
    </message>
    <message>
        <source>Loading issues… %1 of %2</source>
        <translation>Probleme werden geladen… %1 von %2</translation>
    </message>
    <message>
        <source>No catalog open.</source>
        <translation>Kein Katalog geöffnet.</translation>
    </message>
    <message>
        <source>No import issues.</source>
        <translation>Keine Importprobleme.</translation>
    </message>
    <message numerus="yes">
        <source>%1 issues under %n key(s).</source>
        <translation>
            <numerusform>%1 Probleme unter %n Schlüssel.</numerusform>
            <numerusform>%1 Probleme unter %n Schlüsseln.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 issues match the filter.</source>
        <translation>%1 von %2 Problemen entsprechen dem Filter.</translation>
    </message>
</context>
<context>
    <name>planelab::ui::Job</name>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>done</source>
        <extracomment>A job&apos;s state: it ended successfully.</extracomment>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>planelab::ui::JobPanel</name>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>%1/s</source>
        <extracomment>A job&apos;s rate: items (files, studies, steps) done per second.</extracomment>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>elapsed %1</source>
        <translation>%1 vergangen</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <extracomment>Estimated time left.</extracomment>
        <translation>Restzeit %1</translation>
    </message>
</context>
<context>
    <name>planelab::ui::MainWindow</name>
    <message>
        <source>PlaneLab</source>
        <translation>PlaneLab</translation>
    </message>
    <message>
        <source>Planes</source>
        <translation>Ebenen</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Open a catalog (File ▸ Open catalog…) or drop DICOM folders here</source>
        <translation>Öffnen Sie einen Katalog (Datei ▸ Katalog öffnen…) oder ziehen Sie DICOM-Ordner hierher</translation>
    </message>
    <message>
        <source>PlaneLab — %1</source>
        <translation>PlaneLab — %1</translation>
    </message>
    <message>
        <source>%1 · %2%3 (double-click the line to go there)</source>
        <translation>%1 · %2%3 (Doppelklick auf die Linie springt dorthin)</translation>
    </message>
    <message>
        <source> · slice %1</source>
        <translation> · Schicht %1</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <source>Import issues</source>
        <translation>Importprobleme</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New catalog…</source>
        <translation>&amp;Neuer Katalog…</translation>
    </message>
    <message>
        <source>&amp;Open catalog…</source>
        <translation>Katalog ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Import DICOM…</source>
        <translation>DICOM &amp;importieren…</translation>
    </message>
    <message>
        <source>&amp;Close catalog</source>
        <translation>Katalog &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Catalog</source>
        <translation>&amp;Katalog</translation>
    </message>
    <message>
        <source>&amp;Curate (stacks, views, QA, misalignment)</source>
        <translation>&amp;Kuratieren (Stapel, Ansichten, QA, Versatz)</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>&amp;Experiment</source>
        <translation>E&amp;xperiment</translation>
    </message>
    <message>
        <source>&amp;New experiment…</source>
        <translation>&amp;Neues Experiment…</translation>
    </message>
    <message>
        <source>&amp;Run or resume experiment…</source>
        <translation>Experiment &amp;ausführen oder fortsetzen…</translation>
    </message>
    <message>
        <source>Experiment config</source>
        <translation>Experimentkonfiguration</translation>
    </message>
    <message>
        <source>Experiment (experiment.json *.json)</source>
        <translation>Experiment (experiment.json *.json)</translation>
    </message>
    <message>
        <source>&amp;Open training run…</source>
        <translation>Trainingslauf ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Training run folder</source>
        <translation>Ordner des Trainingslaufs</translation>
    </message>
    <message>
        <source>Open &amp;results folder…</source>
        <translation>&amp;Ergebnisordner öffnen…</translation>
    </message>
    <message>
        <source>Experiment or runs folder</source>
        <translation>Ordner eines Experiments oder von Läufen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Reset 3-D camera</source>
        <translation>3D-Kamera zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About PlaneLab</source>
        <translation>&amp;Über PlaneLab</translation>
    </message>
    <message>
        <source>About PlaneLab</source>
        <translation>Über PlaneLab</translation>
    </message>
    <message>
        <source>&lt;b&gt;PlaneLab %1&lt;/b&gt;&lt;p&gt;Self-supervised learning on anatomy-oriented MR imaging planes (Zhang et al., Medical Image Analysis 2024).&lt;/p&gt;</source>
        <translation>&lt;b&gt;PlaneLab %1&lt;/b&gt;&lt;p&gt;Selbstüberwachtes Lernen auf anatomisch ausgerichteten MR-Schichtebenen (Zhang et al., Medical Image Analysis 2024).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>System language (%1)</source>
        <translation>Systemsprache (%1)</translation>
    </message>
    <message>
        <source>PlaneLab will use %1 the next time it starts.</source>
        <translation>PlaneLab verwendet beim nächsten Start %1.</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Open or create a catalog first (File ▸ New catalog…), then import.</source>
        <translation>Öffnen oder erstellen Sie zuerst einen Katalog (Datei ▸ Neuer Katalog…) und importieren Sie dann.</translation>
    </message>
    <message>
        <source>Open a catalog first: an experiment draws its data from one.</source>
        <translation>Öffnen Sie zuerst einen Katalog: Ein Experiment bezieht seine Daten daraus.</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Experiment %1: %2</source>
        <translation>Experiment %1: %2</translation>
    </message>
    <message>
        <source>Study %1: %2</source>
        <translation>Studie %1: %2</translation>
    </message>
    <message>
        <source>Set view of %1 to %2</source>
        <translation>Ansicht von %1 auf %2 setzen</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still running. Cancel them and quit? (Imports keep what they committed; training runs can be resumed from their folders.)</source>
        <translation>
            <numerusform>Es läuft noch %n Auftrag. Abbrechen und beenden? (Importe behalten, was sie bereits festgeschrieben haben; Trainingsläufe können aus ihren Ordnern fortgesetzt werden.)</numerusform>
            <numerusform>Es laufen noch %n Aufträge. Abbrechen und beenden? (Importe behalten, was sie bereits festgeschrieben haben; Trainingsläufe können aus ihren Ordnern fortgesetzt werden.)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>planelab::ui::OpenCatalogReaction</name>
    <message>
        <source>PlaneLab catalogs (*.sqlite *.planelab);;All files (*)</source>
        <translation>PlaneLab-Kataloge (*.sqlite *.planelab);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>New catalog</source>
        <translation>Neuer Katalog</translation>
    </message>
    <message>
        <source>Open catalog</source>
        <translation>Katalog öffnen</translation>
    </message>
</context>
<context>
    <name>planelab::ui::PlaneViewer</name>
    <message>
        <source>Select a series or a plane to view it</source>
        <translation>Wählen Sie eine Serie oder Ebene zur Anzeige aus</translation>
    </message>
    <message>
        <source>[%1] image could not be read</source>
        <translation>[%1] Bild konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source> · slice %1/%2</source>
        <translation> · Schicht %1/%2</translation>
    </message>
    <message>
        <source> · superseded repeat</source>
        <translation> · ersetzte Wiederholung</translation>
    </message>
    <message>
        <source>phase %1/%2 · W %3 C %4</source>
        <extracomment>Cine phase, then the display window: W = window width, C = window centre (level).</extracomment>
        <translation>Phase %1/%2 · W %3 C %4</translation>
    </message>
    <message>
        <source>misalignment %1 mm%2</source>
        <translation>Versatz %1 mm%2</translation>
    </message>
    <message>
        <source> (flagged)</source>
        <translation> (markiert)</translation>
    </message>
    <message>
        <source>line: %1 at %2°</source>
        <translation>Linie: %1 unter %2°</translation>
    </message>
    <message>
        <source>%1 slice %2</source>
        <extracomment>%1: a view code (sax, 2ch, ...), %2: a slice number.</extracomment>
        <translation>%1 Schicht %2</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ResultsView</name>
    <message>
        <source>from scratch</source>
        <translation>von Grund auf</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>%1, permuted targets</source>
        <translation>%1, permutierte Ziele</translation>
    </message>
    <message>
        <source>%1, encoder only</source>
        <translation>%1, nur Encoder</translation>
    </message>
    <message>
        <source>%1, last checkpoint</source>
        <translation>%1, letzter Checkpoint</translation>
    </message>
    <message>
        <source>pretrained (%1)</source>
        <translation>vortrainiert (%1)</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Ordner wählen…</translation>
    </message>
    <message>
        <source>Run study…</source>
        <translation>Studie ausführen…</translation>
    </message>
    <message>
        <source>Run or resume a study (several experiments and one report; docs/study.md)</source>
        <translation>Eine Studie ausführen oder fortsetzen (mehrere Experimente und ein Bericht; docs/study.md)</translation>
    </message>
    <message>
        <source>Test Dice against labelled subjects</source>
        <translation>Test-Dice nach Anzahl gelabelter Probanden</translation>
    </message>
    <message>
        <source>No folder chosen.</source>
        <translation>Kein Ordner gewählt.</translation>
    </message>
    <message>
        <source>Folder of run folders</source>
        <translation>Ordner mit Laufordnern</translation>
    </message>
    <message>
        <source>Study config</source>
        <translation>Studienkonfiguration</translation>
    </message>
    <message>
        <source>Study (*.json)</source>
        <translation>Studie (*.json)</translation>
    </message>
    <message>
        <source>Study report: &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;</source>
        <translation>Studienbericht: &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n fine-tuning run(s) for segmentation</source>
        <translation>
            <numerusform>%n Feinabstimmungslauf für die Segmentierung</numerusform>
            <numerusform>%n Feinabstimmungsläufe für die Segmentierung</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other finished run(s) not shown (pretraining, classification)</source>
        <translation>
            <numerusform>%n weiterer abgeschlossener Lauf nicht angezeigt (Vortraining, Klassifikation)</numerusform>
            <numerusform>%n weitere abgeschlossene Läufe nicht angezeigt (Vortraining, Klassifikation)</numerusform>
        </translation>
    </message>
    <message>
        <source>unreadable: %1</source>
        <translation>nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Arm</source>
        <translation>Arm</translation>
    </message>
    <message>
        <source>Pretrained run</source>
        <translation>Vortrainierter Lauf</translation>
    </message>
    <message>
        <source>Labelled subjects</source>
        <translation>Gelabelte Probanden</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Dice %1</source>
        <extracomment>Dice similarity coefficient of the label class %1 (a column header).</extracomment>
        <translation>Dice %1</translation>
    </message>
    <message>
        <source>Mean Dice</source>
        <translation>Mittlerer Dice</translation>
    </message>
    <message>
        <source>HD95 (mm)</source>
        <extracomment>95th percentile Hausdorff distance, in millimetres.</extracomment>
        <translation>HD95 (mm)</translation>
    </message>
    <message>
        <source>labelled subjects</source>
        <translation>gelabelte Probanden</translation>
    </message>
    <message>
        <source>mean Dice (test)</source>
        <translation>mittlerer Dice (Test)</translation>
    </message>
    <message>
        <source>%1: mean over seeds</source>
        <translation>%1: Mittel über Seeds</translation>
    </message>
    <message>
        <source>%1: runs</source>
        <translation>%1: Läufe</translation>
    </message>
</context>
<context>
    <name>planelab::ui::StudyView</name>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Heatmap targets</source>
        <translation>Heatmap-Ziele</translation>
    </message>
    <message>
        <source>Overlay the image&apos;s labels (DICOM SEG)</source>
        <translation>Labels des Bildes überlagern (DICOM SEG)</translation>
    </message>
    <message>
        <source>Overlay the orientation pretext task&apos;s targets for this image</source>
        <translation>Ziele der Orientierungs-Prätext-Aufgabe für dieses Bild überlagern</translation>
    </message>
    <message>
        <source>▶ Cine</source>
        <translation>▶ Cine</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>Ansicht zurücksetzen</translation>
    </message>
    <message>
        <source>Fit the image and reset the window (R)</source>
        <translation>Bild einpassen und Fenster zurücksetzen (R)</translation>
    </message>
    <message>
        <source>Lines:</source>
        <translation>Linien:</translation>
    </message>
    <message>
        <source>Slice</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Location (mm)</source>
        <translation>Position (mm)</translation>
    </message>
    <message>
        <source>Misalignment (mm)</source>
        <translation>Versatz (mm)</translation>
    </message>
    <message>
        <source>NCC</source>
        <extracomment>Normalised cross-correlation (a column header).</extracomment>
        <translation>NCC</translation>
    </message>
    <message>
        <source>Stack %1 · %2 · %3 slices%4</source>
        <translation>Stapel %1 · %2 · %3 Schichten%4</translation>
    </message>
    <message>
        <source> · no misalignment scores (run Curate)</source>
        <translation> · keine Versatzwerte (Kuratieren ausführen)</translation>
    </message>
    <message>
        <source>Flagged: estimated displacement above the threshold</source>
        <translation>Markiert: geschätzte Verschiebung über dem Schwellenwert</translation>
    </message>
</context>
<context>
    <name>planelab::ui::TagBrowser</name>
    <message>
        <source>DICOM tags — %1</source>
        <translation>DICOM-Tags — %1</translation>
    </message>
    <message>
        <source>Filter by tag, keyword or value</source>
        <translation>Nach Tag, Schlüsselwort oder Wert filtern</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>VR</source>
        <translation>VR</translation>
    </message>
    <message>
        <source>Keyword</source>
        <translation>Schlüsselwort</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>[%1] the file could not be read completely; showing what was read.</source>
        <translation>[%1] Die Datei konnte nicht vollständig gelesen werden; das Gelesene wird angezeigt.</translation>
    </message>
</context>
<context>
    <name>planelab::ui::TrainingDashboard</name>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>Logarithmische Verlustachse</translation>
    </message>
    <message>
        <source>Open run…</source>
        <translation>Lauf öffnen…</translation>
    </message>
    <message>
        <source>Resume run</source>
        <translation>Lauf fortsetzen</translation>
    </message>
    <message>
        <source>Export model…</source>
        <translation>Modell exportieren…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Curves drawn for every shown run</source>
        <translation>Für jeden angezeigten Lauf gezeichnete Kurven</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>Trainingskurven</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>Exponential moving average of the per-iteration losses</source>
        <translation>Exponentieller gleitender Mittelwert der Verluste pro Iteration</translation>
    </message>
    <message>
        <source>smoothing %1</source>
        <translation>Glättung %1</translation>
    </message>
    <message>
        <source>Runs shown in the chart; the selected one is described below</source>
        <translation>Im Diagramm angezeigte Läufe; der ausgewählte wird unten beschrieben</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>Kurven</translation>
    </message>
    <message>
        <source>Open run folder</source>
        <translation>Laufordner öffnen</translation>
    </message>
    <message>
        <source>Cancelled; the run can be resumed from its last epoch.</source>
        <translation>Abgebrochen; der Lauf kann ab seiner letzten Epoche fortgesetzt werden.</translation>
    </message>
    <message>
        <source>Cancelled before the first epoch ended; start it again.</source>
        <translation>Vor dem Ende der ersten Epoche abgebrochen; starten Sie ihn erneut.</translation>
    </message>
    <message>
        <source>Finished; evaluation.json holds the test results.</source>
        <translation>Abgeschlossen; evaluation.json enthält die Testergebnisse.</translation>
    </message>
    <message>
        <source>Open run %1</source>
        <translation>Lauf %1 öffnen</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>Abgeschlossen.</translation>
    </message>
    <message>
        <source>Interrupted; it can be resumed from its last epoch.</source>
        <translation>Unterbrochen; er kann ab seiner letzten Epoche fortgesetzt werden.</translation>
    </message>
    <message>
        <source>Not finished and nothing to resume from.</source>
        <translation>Nicht abgeschlossen; kein Stand zum Fortsetzen vorhanden.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 per iteration</source>
        <translation>%1 pro Iteration</translation>
    </message>
    <message>
        <source>%1 epoch mean</source>
        <translation>%1 Epochenmittel</translation>
    </message>
    <message>
        <source>validation %1</source>
        <translation>Validierung %1</translation>
    </message>
    <message>
        <source>loss / metric</source>
        <translation>Verlust / Metrik</translation>
    </message>
    <message>
        <source>No run yet: open a run folder, or start a run from the experiment wizard.</source>
        <translation>Noch kein Lauf: Öffnen Sie einen Laufordner oder starten Sie einen Lauf im Experiment-Assistenten.</translation>
    </message>
    <message>
        <source>epoch %1 of %2</source>
        <translation>Epoche %1 von %2</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>Epoche %1</translation>
    </message>
    <message>
        <source>learning rate %1</source>
        <translation>Lernrate %1</translation>
    </message>
    <message>
        <source>%1 images/s</source>
        <translation>%1 Bilder/s</translation>
    </message>
    <message>
        <source>device %1</source>
        <translation>Gerät %1</translation>
    </message>
    <message>
        <source>elapsed %1</source>
        <translation>%1 vergangen</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>Restzeit %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Export nach %1…</translation>
    </message>
    <message>
        <source>Exported to %1 (model card next to it).</source>
        <translation>Nach %1 exportiert (Modellkarte daneben).</translation>
    </message>
    <message>
        <source>TorchScript or ONNX with its model card (docs/export.md)</source>
        <translation>TorchScript oder ONNX mit Modellkarte (docs/export.md)</translation>
    </message>
</context>
<context>
    <name>planelab::ui::TrainingFeed</name>
    <message>
        <source>epoch %1 of %2</source>
        <translation>Epoche %1 von %2</translation>
    </message>
    <message>
        <source>Resume training %1</source>
        <translation>Training %1 fortsetzen</translation>
    </message>
    <message>
        <source>Train %1 (%2)</source>
        <translation>%1 trainieren (%2)</translation>
    </message>
</context>
</TS>
