<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TrainingDashboard</name>
    <message>
        <source>GPU (%1)</source>
        <translation>GPU（%1）</translation>
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
        <translation>基于解剖定向磁共振平面的自监督学习</translation>
    </message>
    <message>
        <source>Catalog file to open</source>
        <translation>要打开的目录文件</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CatalogBrowser</name>
    <message>
        <source>Search: patient ID or description</source>
        <translation>搜索：患者 ID 或描述</translation>
    </message>
    <message>
        <source>All modalities</source>
        <translation>所有模态</translation>
    </message>
    <message>
        <source>Show DICOM tags…</source>
        <translation>显示 DICOM 标签…</translation>
    </message>
    <message>
        <source>Correct view label…</source>
        <translation>更正视图标签…</translation>
    </message>
    <message>
        <source>automatic</source>
        <extracomment>View label choice: no correction, the view is detected automatically.</extracomment>
        <translation>自动</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CatalogJobs</name>
    <message>
        <source>%1 of %2 studies</source>
        <translation>%1/%2 个检查</translation>
    </message>
    <message>
        <source>curated %1 studies: %2 planes, %3 stacks, %4 flagged planes</source>
        <translation>已整理 %1 个检查：%2 个平面，%3 个层叠，%4 个被标记的平面</translation>
    </message>
    <message>
        <source>view correction removed</source>
        <translation>已移除视图更正</translation>
    </message>
    <message>
        <source>view set to %1</source>
        <translation>视图已设为 %1</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CatalogTreeModel</name>
    <message numerus="yes">
        <source>%n study(ies)</source>
        <translation>
            <numerusform>%n 个检查</numerusform>
        </translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation>（无描述）</translation>
    </message>
    <message numerus="yes">
        <source>%n series</source>
        <translation>
            <numerusform>%n 个序列</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, %2 %</source>
        <translation>%1，%2%</translation>
    </message>
    <message>
        <source> · labels (SEG)</source>
        <translation> · 标注（SEG）</translation>
    </message>
    <message>
        <source> · labelled</source>
        <translation> · 已标注</translation>
    </message>
    <message>
        <source>View %1 (%2). Double-click to correct it.</source>
        <translation>视图 %1（%2）。双击可更正。</translation>
    </message>
    <message>
        <source>(not curated)</source>
        <translation>（未整理）</translation>
    </message>
    <message>
        <source>Patient / study / series</source>
        <translation>患者 / 检查 / 序列</translation>
    </message>
    <message>
        <source>View (source, confidence)</source>
        <translation>视图（来源，置信度）</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>QA findings</source>
        <translation>QA 发现</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <source>user, pending</source>
        <translation>用户指定，待保存</translation>
    </message>
</context>
<context>
    <name>planelab::ui::CurateReaction</name>
    <message>
        <source>Curate %1</source>
        <translation>整理 %1</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentDataPage</name>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Which studies, which views become training samples, and the grid they are resampled to.</source>
        <translation>选择哪些检查、哪些视图作为训练样本，以及重采样的目标网格。</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Heart (cardiac MR views)</source>
        <translation>心脏（心脏磁共振视图）</translation>
    </message>
    <message>
        <source>Knee (sagittal, coronal, axial)</source>
        <translation>膝关节（矢状面、冠状面、轴面）</translation>
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
        <translation>全选</translation>
    </message>
    <message>
        <source>None</source>
        <translation>全不选</translation>
    </message>
    <message>
        <source>Organ</source>
        <translation>器官</translation>
    </message>
    <message>
        <source>Sample views</source>
        <translation>样本视图</translation>
    </message>
    <message>
        <source>Grid spacing</source>
        <translation>网格间距</translation>
    </message>
    <message>
        <source>Grid size</source>
        <translation>网格大小</translation>
    </message>
    <message>
        <source>%1 subjects in %2 studies · planes: %3 · %4 labelled images of %5 subjects%6</source>
        <translation>%2 个检查中的 %1 名受试者 · 平面：%3 · %5 名受试者的 %4 幅有标注图像%6</translation>
    </message>
    <message>
        <source>none (curate the catalog first)</source>
        <translation>无（请先整理目录）</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentFeed</name>
    <message>
        <source>prepare the pretraining pool</source>
        <translation>准备预训练数据池</translation>
    </message>
    <message>
        <source>prepare the dataset</source>
        <translation>准备数据集</translation>
    </message>
    <message>
        <source>pretrain %1, seed %2</source>
        <translation>预训练 %1，随机种子 %2</translation>
    </message>
    <message>
        <source>fine-tune %1, %2, seed %3</source>
        <translation>微调 %1，%2，随机种子 %3</translation>
    </message>
    <message>
        <source>all labelled subjects</source>
        <translation>全部有标注的受试者</translation>
    </message>
    <message numerus="yes">
        <source>%n labelled subject(s)</source>
        <translation>
            <numerusform>%n 名有标注的受试者</numerusform>
        </translation>
    </message>
    <message>
        <source> (resuming)</source>
        <translation>（继续）</translation>
    </message>
    <message>
        <source>%1 of %2 studies</source>
        <translation>%1/%2 个检查</translation>
    </message>
    <message>
        <source>Experiment %1</source>
        <translation>实验 %1</translation>
    </message>
    <message>
        <source>Study %1</source>
        <translation>研究 %1</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentNetworkPage</name>
    <message>
        <source>Network and optimisation</source>
        <translation>网络与优化</translation>
    </message>
    <message>
        <source>compact suits 96–128 px on a CPU; paper is the published U-Net (base 64) for 224 px on a GPU.</source>
        <translation>compact 适用于在 CPU 上处理 96–128 px；paper 为论文发表的 U-Net（基础宽度 64），适用于在 GPU 上处理 224 px。</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Base width (channels)</source>
        <translation>基础宽度（通道数）</translation>
    </message>
    <message>
        <source>Depth (encoder blocks)</source>
        <translation>深度（编码器块数）</translation>
    </message>
    <message>
        <source>Pretraining epochs</source>
        <translation>预训练轮次</translation>
    </message>
    <message>
        <source>Fine-tuning epochs</source>
        <translation>微调轮次</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentPretextPage</name>
    <message>
        <source>Pretext tasks</source>
        <translation>前置任务</translation>
    </message>
    <message>
        <source>The arms to compare (each pretrained separately; scratch is the baseline) and how the targets are built. The preview shows the targets on sample images.</source>
        <translation>要比较的实验组（各自单独预训练；从头训练为基线）以及目标的构建方式。预览显示样本图像上的目标。</translation>
    </message>
    <message>
        <source>Arms</source>
        <translation>实验组</translation>
    </message>
    <message>
        <source>scratch (no pretraining)</source>
        <translation>从头训练（无预训练）</translation>
    </message>
    <message>
        <source>multitask: intersecting lines + slice location</source>
        <translation>多任务：交线 + 层面位置</translation>
    </message>
    <message>
        <source>orientation only (intersecting lines)</source>
        <translation>仅方向（交线）</translation>
    </message>
    <message>
        <source>location only (slice location)</source>
        <translation>仅位置（层面位置）</translation>
    </message>
    <message>
        <source>Models-Genesis-style restoration (baseline)</source>
        <translation>Models Genesis 式图像复原（基线）</translation>
    </message>
    <message>
        <source>control: multitask on permuted targets</source>
        <translation>对照：基于置换目标的多任务</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>anatomical (base → apex)</source>
        <translation>解剖（心底 → 心尖）</translation>
    </message>
    <message>
        <source>paper (slice order)</source>
        <translation>论文（层面顺序）</translation>
    </message>
    <message>
        <source>Another sample</source>
        <translation>换一个样本</translation>
    </message>
    <message>
        <source>Heatmap weight α</source>
        <translation>热图权重 α</translation>
    </message>
    <message>
        <source>Location weight β</source>
        <translation>位置权重 β</translation>
    </message>
    <message>
        <source>Heatmap channels (views)</source>
        <translation>热图通道（视图）</translation>
    </message>
    <message>
        <source>Ridge width σ</source>
        <translation>脊线宽度 σ</translation>
    </message>
    <message>
        <source>Slice location</source>
        <translation>层面位置</translation>
    </message>
    <message>
        <source>location %1</source>
        <translation>位置 %1</translation>
    </message>
    <message>
        <source>no location</source>
        <translation>无位置</translation>
    </message>
    <message>
        <source>%1 · %2 · targets on the %3 mm × %4 px grid, σ %5 px</source>
        <translation>%1 · %2 · %3 mm × %4 px 网格上的目标，σ %5 px</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentReviewPage</name>
    <message>
        <source>Start the experiment when I click Finish</source>
        <translation>点击“完成”时开始实验</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Finish saves OUT/experiment.json — run it later with `planelab-cli experiment --config OUT/experiment.json`.</source>
        <translation>“完成”会保存 OUT/experiment.json——之后可用 `planelab-cli experiment --config OUT/experiment.json` 运行。</translation>
    </message>
    <message>
        <source>pretraining vs scratch</source>
        <translation>预训练与从头训练对比</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Experiment folder</source>
        <translation>实验文件夹</translation>
    </message>
    <message>
        <source>%1 pretraining and %2 fine-tuning runs</source>
        <translation>%1 次预训练运行和 %2 次微调运行</translation>
    </message>
    <message>
        <source> · the folder holds this experiment: finished runs are kept, interrupted ones resume</source>
        <translation> · 该文件夹包含此实验：已完成的运行将保留，中断的运行将继续</translation>
    </message>
    <message>
        <source>⚠ The folder is not empty and holds no copy of this experiment; choose another (nothing is overwritten) [experiment_exists]</source>
        <translation>⚠ 该文件夹非空且不包含此实验的副本；请另选一个（不会覆盖任何内容）[experiment_exists]</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentTargetPage</name>
    <message>
        <source>Target task</source>
        <translation>目标任务</translation>
    </message>
    <message>
        <source>What the pretrained networks are fine-tuned for, with how many labelled subjects, repeated for each seed (the label draw is nested across budgets).</source>
        <translation>预训练网络要微调的任务、使用的有标注受试者数量，并对每个随机种子重复（各标注预算的抽样相互嵌套）。</translation>
    </message>
    <message>
        <source>Segmentation (labels from DICOM SEG)</source>
        <translation>分割（标注来自 DICOM SEG）</translation>
    </message>
    <message>
        <source>Classification (a label per subject)</source>
        <translation>分类（每名受试者一个标签）</translation>
    </message>
    <message>
        <source>CSV with patient_id,label</source>
        <translation>含 patient_id,label 的 CSV</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Labelled subjects per fine-tuning, comma separated; 0 = all</source>
        <translation>每次微调的有标注受试者数，以逗号分隔；0 = 全部</translation>
    </message>
    <message>
        <source>encoder and decoder (official code)</source>
        <translation>编码器和解码器（官方代码）</translation>
    </message>
    <message>
        <source>encoder only</source>
        <translation>仅编码器</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Class labels</source>
        <translation>类别标签</translation>
    </message>
    <message>
        <source>Label budgets</source>
        <translation>标注预算</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Weights transferred</source>
        <translation>迁移的权重</translation>
    </message>
    <message>
        <source>CSV (*.csv);;All files (*)</source>
        <translation>CSV (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Label budgets: whole numbers ≥ 0, comma separated</source>
        <translation>标注预算：≥ 0 的整数，以逗号分隔</translation>
    </message>
    <message>
        <source>Seeds: whole numbers, comma separated</source>
        <translation>随机种子：整数，以逗号分隔</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExperimentWizard</name>
    <message>
        <source>New experiment</source>
        <translation>新建实验</translation>
    </message>
    <message>
        <source>Select at least one study.</source>
        <translation>请至少选择一个检查。</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ExportDialog</name>
    <message>
        <source>Replace an existing model and card</source>
        <translation>替换已有的模型和模型卡</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>TorchScript (.pt)</source>
        <translation>TorchScript (.pt)</translation>
    </message>
    <message>
        <source>ONNX, opset 17 (.onnx)</source>
        <translation>ONNX，opset 17 (.onnx)</translation>
    </message>
    <message>
        <source>best (selected on validation)</source>
        <translation>最佳（按验证结果选择）</translation>
    </message>
    <message>
        <source>last epoch</source>
        <translation>最后一个轮次</translation>
    </message>
    <message>
        <source>the run&apos;s heads (predictions)</source>
        <translation>运行的输出头（预测）</translation>
    </message>
    <message>
        <source>the encoder&apos;s features (to fine-tune elsewhere)</source>
        <translation>编码器的特征（用于在别处微调）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Writes a TorchScript file (torch.jit.load in Python, torch::jit::load in C++) or an ONNX graph (ONNX Runtime) and, next to it, its model card (&lt;file&gt;.card.json) with the preprocessing, labels and provenance. See docs/export.md.</source>
        <translation>写入 TorchScript 文件（Python 中用 torch.jit.load，C++ 中用 torch::jit::load）或 ONNX 图（ONNX Runtime），并在其旁写入模型卡（&lt;file&gt;.card.json），包含预处理、标签和来源信息。参见 docs/export.md。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>Model returns</source>
        <translation>模型输出</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>TorchScript (*.pt);;ONNX (*.onnx)</source>
        <translation>TorchScript (*.pt);;ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <source>building, writing and checking the model</source>
        <translation>正在构建、写入并检查模型</translation>
    </message>
    <message>
        <source>wrote %1 and %2; reloaded outputs differ by at most %3</source>
        <translation>已写入 %1 和 %2；重新加载后的输出差异至多为 %3</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportOptionsPage</name>
    <message>
        <source>Also read hidden files (dotfiles, macOS ._* files)</source>
        <translation>同时读取隐藏文件（点文件、macOS ._* 文件）</translation>
    </message>
    <message>
        <source>De-identify patients</source>
        <translation>患者去标识化</translation>
    </message>
    <message>
        <source>Curate after import</source>
        <translation>导入后整理</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>The same choices as planelab-cli import (and planelab-cli curate).</source>
        <translation>与 planelab-cli import（及 planelab-cli curate）的选项相同。</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Threads reading DICOM headers while one writer fills the catalog; curation uses as many workers.</source>
        <translation>读取 DICOM 头的线程数，同时由一个写入线程填充目录；整理使用相同数量的工作线程。</translation>
    </message>
    <message>
        <source>De-identification key</source>
        <translation>去标识化密钥</translation>
    </message>
    <message>
        <source>From file…</source>
        <translation>从文件…</translation>
    </message>
    <message>
        <source>Use the first line of a file as the key (as --key-file).</source>
        <translation>使用文件的第一行作为密钥（同 --key-file）。</translation>
    </message>
    <message>
        <source>Header-reading threads:</source>
        <translation>读取头信息的线程数：</translation>
    </message>
    <message>
        <source>Stacks, view labels, the intersections of every pair of planes, QA findings and the breath-hold misalignment score of every study, as planelab-cli curate (reads pixels for the score).</source>
        <translation>层叠、视图标签、每对平面的交线、QA 发现以及每个检查的屏气错位评分，同 planelab-cli curate（评分需读取像素）。</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Patient name, ID and birth date are stored as keyed pseudonyms (HMAC-SHA256). The key is yours: it is never stored, and the same key gives the same pseudonyms in later imports.</source>
        <translation>患者姓名、ID 和出生日期以带密钥的假名（HMAC-SHA256）存储。密钥由您保管：它永远不会被存储，以后导入时使用相同的密钥会得到相同的假名。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Enter a key to continue.&lt;/b&gt;</source>
        <translation>&lt;b&gt;请输入密钥以继续。&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportProgressPage</name>
    <message>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>The import runs as a job: it also shows in the Jobs panel.</source>
        <translation>导入作为任务运行：它也会显示在“任务”面板中。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Phase:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Done:</source>
        <translation>已完成：</translation>
    </message>
    <message>
        <source>Rate:</source>
        <translation>速率：</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>时间：</translation>
    </message>
    <message>
        <source>Cancelling keeps every batch already written to the catalog; run the same import again to finish it (files already indexed are not read again). Closing this window does not stop the import.</source>
        <translation>取消会保留已写入目录的每一批数据；再次运行相同的导入即可完成（已索引的文件不会重新读取）。关闭此窗口不会停止导入。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Import into %1</source>
        <translation>导入到 %1</translation>
    </message>
    <message>
        <source>studies</source>
        <translation>个检查</translation>
    </message>
    <message>
        <source>files</source>
        <translation>个文件</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>%1 of %2 %3</source>
        <translation>%1/%2 %3</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2/s</source>
        <translation>%1 %2/秒</translation>
    </message>
    <message>
        <source>elapsed %1 · ETA %2</source>
        <translation>已用时间 %1 · 剩余时间 %2</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportSourcesPage</name>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Folders (read recursively), DICOM files and DICOMDIRs to import into %1.</source>
        <translation>要导入到 %1 的文件夹（递归读取）、DICOM 文件和 DICOMDIR。</translation>
    </message>
    <message>
        <source>the catalog</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Drop folders or files here. Files already in the catalog and unchanged (same size and modification time) are not read again.</source>
        <translation>将文件夹或文件拖放到此处。已在目录中且未更改（大小和修改时间相同）的文件不会重新读取。</translation>
    </message>
    <message>
        <source>Add a folder to import</source>
        <translation>添加要导入的文件夹</translation>
    </message>
    <message>
        <source>Add DICOM files or DICOMDIRs</source>
        <translation>添加 DICOM 文件或 DICOMDIR</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportSummaryPage</name>
    <message>
        <source>Issue</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>QA finding</source>
        <translation>QA 发现</translation>
    </message>
    <message>
        <source>Curation</source>
        <translation>整理</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>found</source>
        <translation>已找到</translation>
    </message>
    <message>
        <source>read</source>
        <translation>已读取</translation>
    </message>
    <message>
        <source>unchanged (skipped)</source>
        <translation>未更改（已跳过）</translation>
    </message>
    <message>
        <source>missing now</source>
        <translation>现已缺失</translation>
    </message>
    <message>
        <source>import issues</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <source>read rate (files/s)</source>
        <translation>读取速率（文件/秒）</translation>
    </message>
    <message>
        <source>Added to the catalog</source>
        <translation>已添加到目录</translation>
    </message>
    <message>
        <source>patients</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>studies</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>series</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>instances</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>label sets</source>
        <translation>标注集</translation>
    </message>
    <message>
        <source>instances updated</source>
        <translation>已更新的实例</translation>
    </message>
    <message>
        <source>planes</source>
        <translation>平面</translation>
    </message>
    <message>
        <source>stacks</source>
        <translation>层叠</translation>
    </message>
    <message>
        <source>intersections</source>
        <translation>交线</translation>
    </message>
    <message>
        <source>planes flagged (misalignment)</source>
        <translation>被标记的平面（错位）</translation>
    </message>
    <message>
        <source>images left out (no geometry)</source>
        <translation>被排除的图像（无几何信息）</translation>
    </message>
    <message>
        <source>Show issues</source>
        <translation>显示问题</translation>
    </message>
    <message>
        <source>Import issues (per key):</source>
        <translation>导入问题（按键）：</translation>
    </message>
    <message>
        <source>QA findings (per key):</source>
        <translation>QA 发现（按键）：</translation>
    </message>
    <message>
        <source>Curation failed: [%1] %2</source>
        <translation>整理失败：[%1] %2</translation>
    </message>
    <message>
        <source>Import failed: [%1] %2</source>
        <translation>导入失败：[%1] %2</translation>
    </message>
    <message>
        <source>The import itself is complete.</source>
        <translation>导入本身已完成。</translation>
    </message>
    <message>
        <source>Curation cancelled. The import is complete; the studies curated before the cancel are stored. Run the curation again to finish it.</source>
        <translation>整理已取消。导入已完成；取消前已整理的检查已保存。再次运行整理即可完成。</translation>
    </message>
    <message>
        <source>Import cancelled. Every batch written before the cancel is in the catalog; run the same import again to finish it (files already indexed are not read again).</source>
        <translation>导入已取消。取消前写入的每一批数据都已在目录中；再次运行相同的导入即可完成（已索引的文件不会重新读取）。</translation>
    </message>
    <message>
        <source>Import and curation complete.</source>
        <translation>导入和整理已完成。</translation>
    </message>
    <message>
        <source>Import complete.</source>
        <translation>导入已完成。</translation>
    </message>
    <message numerus="yes">
        <source>%n import issue(s): files that could not be used fully.</source>
        <translation>
            <numerusform>%n 个导入问题：未能完全使用的文件。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>planelab::ui::ImportWizard</name>
    <message>
        <source>Finding files</source>
        <translation>正在查找文件</translation>
    </message>
    <message>
        <source>Reading headers and writing to the catalog</source>
        <translation>正在读取头信息并写入目录</translation>
    </message>
    <message>
        <source>Curating: stacks, views, intersections, QA, misalignment</source>
        <translation>正在整理：层叠、视图、交线、QA、错位</translation>
    </message>
    <message>
        <source>import run %1: %2 files found, %3 read, %4 unchanged, %5 missing (%6 s, %7 files/s); added %8 patients, %9 studies, %10 series, %11 instances, %12 label sets</source>
        <translation>导入运行 %1：找到 %2 个文件，读取 %3 个，未更改 %4 个，缺失 %5 个（%6 秒，%7 个文件/秒）；添加了 %8 名患者、%9 个检查、%10 个序列、%11 个实例、%12 个标注集</translation>
    </message>
    <message>
        <source>curation run %1: %2 studies, %3 planes, %4 stacks, %5 intersections, %6 planes flagged for misalignment (%7 s)</source>
        <translation>整理运行 %1：%2 个检查、%3 个平面、%4 个层叠、%5 条交线、%6 个平面因错位被标记（%7 秒）</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Import DICOM</source>
        <translation>导入 DICOM</translation>
    </message>
</context>
<context>
    <name>planelab::ui::IssuesPanel</name>
    <message>
        <source>A path given to import does not exist.</source>
        <translation>指定导入的路径不存在。</translation>
    </message>
    <message>
        <source>Check the path; mount the drive or CD.</source>
        <translation>检查路径；挂载驱动器或光盘。</translation>
    </message>
    <message>
        <source>A folder cannot be listed or a file cannot be opened or read.</source>
        <translation>无法列出文件夹内容，或无法打开或读取文件。</translation>
    </message>
    <message>
        <source>Fix the permissions or copy the data to a healthy disk; re-import.</source>
        <translation>修复权限或将数据复制到正常的磁盘；然后重新导入。</translation>
    </message>
    <message>
        <source>A file referenced by a DICOMDIR or a link is not there, or vanished before it was read.</source>
        <translation>DICOMDIR 或链接引用的文件不存在，或在读取前已消失。</translation>
    </message>
    <message>
        <source>Copy the missing files; re-import.</source>
        <translation>复制缺失的文件；然后重新导入。</translation>
    </message>
    <message>
        <source>A DICOMDIR entry points outside the DICOMDIR&apos;s folder; it was not read.</source>
        <translation>DICOMDIR 条目指向 DICOMDIR 所在文件夹之外；未读取。</translation>
    </message>
    <message>
        <source>Import the folder that holds the files instead of the DICOMDIR.</source>
        <translation>改为导入包含这些文件的文件夹，而不是 DICOMDIR。</translation>
    </message>
    <message>
        <source>Not a DICOM file (text, random bytes, an empty file, PDF, …).</source>
        <translation>不是 DICOM 文件（文本、随机字节、空文件、PDF 等）。</translation>
    </message>
    <message>
        <source>Nothing if it is not meant to be DICOM; otherwise get it again.</source>
        <translation>如果它本就不是 DICOM，则无需处理；否则请重新获取。</translation>
    </message>
    <message>
        <source>The file ends too early. Cut in (or just before) the pixel data: indexed, but its pixels are incomplete; cut earlier: not indexed.</source>
        <translation>文件提前结束。截断位于像素数据中（或紧邻其前）：已索引，但像素不完整；截断位置更早：未索引。</translation>
    </message>
    <message>
        <source>Copy the file again from the source.</source>
        <translation>从来源重新复制该文件。</translation>
    </message>
    <message>
        <source>Says it is DICOM but its data set cannot be parsed (see the detail).</source>
        <translation>声明为 DICOM，但其数据集无法解析（参见详情）。</translation>
    </message>
    <message>
        <source>Get the file again; if the scanner or PACS made it so, report it.</source>
        <translation>重新获取该文件；如果是扫描仪或 PACS 生成的，请报告此问题。</translation>
    </message>
    <message>
        <source>Unknown transfer syntax: indexed only if it reads as Explicit VR Little Endian, and its pixels cannot be decoded.</source>
        <translation>未知的传输语法：仅当可按 Explicit VR Little Endian 读取时才会被索引，且其像素无法解码。</translation>
    </message>
    <message>
        <source>Convert to a standard syntax (e.g. dcmconv +te) and re-import.</source>
        <translation>转换为标准语法（例如 dcmconv +te）后重新导入。</translation>
    </message>
    <message>
        <source>Text could not be converted to UTF-8 as declared; stored as Latin-1. Indexed.</source>
        <translation>文本无法按声明的字符集转换为 UTF-8；已按 Latin-1 存储。已索引。</translation>
    </message>
    <message>
        <source>Usually nothing; names may look wrong.</source>
        <translation>通常无需处理；名称可能显示不正确。</translation>
    </message>
    <message>
        <source>An image or SEG without SOPInstanceUID: it cannot be indexed.</source>
        <translation>图像或 SEG 缺少 SOPInstanceUID：无法索引。</translation>
    </message>
    <message>
        <source>Report it to whoever produced the file.</source>
        <translation>请向生成该文件的一方报告。</translation>
    </message>
    <message>
        <source>An image or SEG without StudyInstanceUID or SeriesInstanceUID: it cannot be indexed.</source>
        <translation>图像或 SEG 缺少 StudyInstanceUID 或 SeriesInstanceUID：无法索引。</translation>
    </message>
    <message>
        <source>An image without position, orientation or pixel spacing: indexed, but curation cannot place it in space.</source>
        <translation>图像缺少位置、方向或像素间距：已索引，但整理时无法确定其空间位置。</translation>
    </message>
    <message>
        <source>Nothing for screenshots; for MR series check the export settings.</source>
        <translation>截图无需处理；MR 序列请检查导出设置。</translation>
    </message>
    <message>
        <source>Geometry present but unusable: indexed with the invalid fields empty, left out of stacks and intersections.</source>
        <translation>几何信息存在但不可用：已索引，无效字段留空，并排除在层叠和交线之外。</translation>
    </message>
    <message>
        <source>A DICOM object that is not an image (SR, RT, presentation state, PDF, …); recorded without instances.</source>
        <translation>非图像的 DICOM 对象（SR、RT、显示状态、PDF 等）；已记录，但不含实例。</translation>
    </message>
    <message>
        <source>Nothing.</source>
        <translation>无需处理。</translation>
    </message>
    <message>
        <source>A DICOMDIR met as an ordinary file (given to the reader, or under another name in a folder).</source>
        <translation>DICOMDIR 被当作普通文件读取（直接交给读取器，或以其他名称位于文件夹中）。</translation>
    </message>
    <message>
        <source>The same SOP Instance UID in two files: the instance already indexed is kept, this one is not stored.</source>
        <translation>两个文件具有相同的 SOP Instance UID：保留已索引的实例，不存储此文件。</translation>
    </message>
    <message>
        <source>Usually a copied file: remove one copy.</source>
        <translation>通常是复制的文件：删除其中一份。</translation>
    </message>
    <message>
        <source>An image arrived without patient, study or series records; not stored.</source>
        <translation>图像缺少患者、检查或序列记录；未存储。</translation>
    </message>
    <message>
        <source>Report it.</source>
        <translation>请报告此问题。</translation>
    </message>
    <message>
        <source>PlaneLab failed unexpectedly on this file (out of memory, a bug).</source>
        <translation>PlaneLab 处理此文件时意外失败（内存不足或程序缺陷）。</translation>
    </message>
    <message>
        <source>Report it with the file if possible.</source>
        <translation>请报告此问题，如可能请附上该文件。</translation>
    </message>
    <message>
        <source>Filter: key, path, message or detail</source>
        <translation>筛选：键、路径、消息或详情</translation>
    </message>
    <message>
        <source>Issue / file</source>
        <translation>问题 / 文件</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Meaning / message</source>
        <translation>含义 / 消息</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Last import run (%1)</source>
        <translation>最近一次导入运行（%1）</translation>
    </message>
    <message>
        <source>All runs (every file&apos;s current issues)</source>
        <translation>所有运行（每个文件当前的问题）</translation>
    </message>
    <message>
        <source>Run %1 · %2 · %3</source>
        <translation>运行 %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Cannot read the issues: [%1] %2</source>
        <translation>无法读取问题：[%1] %2</translation>
    </message>
    <message>
        <source>%1
What to do: %2</source>
        <translation>%1
处理方法：%2</translation>
    </message>
    <message>
        <source>Loading issues… %1 of %2</source>
        <translation>正在加载问题… %1/%2</translation>
    </message>
    <message>
        <source>No catalog open.</source>
        <translation>未打开目录。</translation>
    </message>
    <message>
        <source>No import issues.</source>
        <translation>没有导入问题。</translation>
    </message>
    <message numerus="yes">
        <source>%1 issues under %n key(s).</source>
        <translation>
            <numerusform>%n 个键下共 %1 个问题。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 issues match the filter.</source>
        <translation>%2 个问题中有 %1 个符合筛选条件。</translation>
    </message>
</context>
<context>
    <name>planelab::ui::Job</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>done</source>
        <extracomment>A job&apos;s state: it ended successfully.</extracomment>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>planelab::ui::JobPanel</name>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>%1/s</source>
        <extracomment>A job&apos;s rate: items (files, studies, steps) done per second.</extracomment>
        <translation>%1/秒</translation>
    </message>
    <message>
        <source>elapsed %1</source>
        <translation>已用时间 %1</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <extracomment>Estimated time left.</extracomment>
        <translation>剩余时间 %1</translation>
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
        <translation>平面</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Open a catalog (File ▸ Open catalog…) or drop DICOM folders here</source>
        <translation>打开目录（文件 ▸ 打开目录…）或将 DICOM 文件夹拖放到此处</translation>
    </message>
    <message>
        <source>PlaneLab — %1</source>
        <translation>PlaneLab — %1</translation>
    </message>
    <message>
        <source>%1 · %2%3 (double-click the line to go there)</source>
        <translation>%1 · %2%3（双击该线可跳转到此处）</translation>
    </message>
    <message>
        <source> · slice %1</source>
        <translation> · 层面 %1</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>Import issues</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New catalog…</source>
        <translation>新建目录(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open catalog…</source>
        <translation>打开目录(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Import DICOM…</source>
        <translation>导入 DICOM(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Close catalog</source>
        <translation>关闭目录(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Catalog</source>
        <translation>目录(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Curate (stacks, views, QA, misalignment)</source>
        <translation>整理（层叠、视图、QA、错位）(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Experiment</source>
        <translation>实验(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;New experiment…</source>
        <translation>新建实验(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Run or resume experiment…</source>
        <translation>运行或继续实验(&amp;R)…</translation>
    </message>
    <message>
        <source>Experiment config</source>
        <translation>实验配置</translation>
    </message>
    <message>
        <source>Experiment (experiment.json *.json)</source>
        <translation>实验 (experiment.json *.json)</translation>
    </message>
    <message>
        <source>&amp;Open training run…</source>
        <translation>打开训练运行(&amp;O)…</translation>
    </message>
    <message>
        <source>Training run folder</source>
        <translation>训练运行文件夹</translation>
    </message>
    <message>
        <source>Open &amp;results folder…</source>
        <translation>打开结果文件夹(&amp;R)…</translation>
    </message>
    <message>
        <source>Experiment or runs folder</source>
        <translation>实验或运行文件夹</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Reset 3-D camera</source>
        <translation>重置三维相机</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About PlaneLab</source>
        <translation>关于 PlaneLab(&amp;A)</translation>
    </message>
    <message>
        <source>About PlaneLab</source>
        <translation>关于 PlaneLab</translation>
    </message>
    <message>
        <source>&lt;b&gt;PlaneLab %1&lt;/b&gt;&lt;p&gt;Self-supervised learning on anatomy-oriented MR imaging planes (Zhang et al., Medical Image Analysis 2024).&lt;/p&gt;</source>
        <translation>&lt;b&gt;PlaneLab %1&lt;/b&gt;&lt;p&gt;基于解剖定向磁共振成像平面的自监督学习（Zhang 等，Medical Image Analysis 2024）。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>System language (%1)</source>
        <translation>系统语言（%1）</translation>
    </message>
    <message>
        <source>PlaneLab will use %1 the next time it starts.</source>
        <translation>PlaneLab 下次启动时将使用 %1。</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Open or create a catalog first (File ▸ New catalog…), then import.</source>
        <translation>请先打开或创建目录（文件 ▸ 新建目录…），然后再导入。</translation>
    </message>
    <message>
        <source>Open a catalog first: an experiment draws its data from one.</source>
        <translation>请先打开目录：实验需要从目录中获取数据。</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Experiment %1: %2</source>
        <translation>实验 %1：%2</translation>
    </message>
    <message>
        <source>Study %1: %2</source>
        <translation>研究 %1：%2</translation>
    </message>
    <message>
        <source>Set view of %1 to %2</source>
        <translation>将 %1 的视图设为 %2</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still running. Cancel them and quit? (Imports keep what they committed; training runs can be resumed from their folders.)</source>
        <translation>
            <numerusform>仍有 %n 个任务正在运行。取消这些任务并退出吗？（导入会保留已提交的内容；训练运行可从其文件夹继续。）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>planelab::ui::OpenCatalogReaction</name>
    <message>
        <source>PlaneLab catalogs (*.sqlite *.planelab);;All files (*)</source>
        <translation>PlaneLab 目录 (*.sqlite *.planelab);;所有文件 (*)</translation>
    </message>
    <message>
        <source>New catalog</source>
        <translation>新建目录</translation>
    </message>
    <message>
        <source>Open catalog</source>
        <translation>打开目录</translation>
    </message>
</context>
<context>
    <name>planelab::ui::PlaneViewer</name>
    <message>
        <source>Select a series or a plane to view it</source>
        <translation>选择一个序列或平面以查看</translation>
    </message>
    <message>
        <source>[%1] image could not be read</source>
        <translation>[%1] 无法读取图像</translation>
    </message>
    <message>
        <source> · slice %1/%2</source>
        <translation> · 层面 %1/%2</translation>
    </message>
    <message>
        <source> · superseded repeat</source>
        <translation> · 已被取代的重复扫描</translation>
    </message>
    <message>
        <source>phase %1/%2 · W %3 C %4</source>
        <extracomment>Cine phase, then the display window: W = window width, C = window centre (level).</extracomment>
        <translation>时相 %1/%2 · W %3 C %4</translation>
    </message>
    <message>
        <source>misalignment %1 mm%2</source>
        <translation>错位 %1 mm%2</translation>
    </message>
    <message>
        <source> (flagged)</source>
        <translation>（已标记）</translation>
    </message>
    <message>
        <source>line: %1 at %2°</source>
        <translation>线：%1，%2°</translation>
    </message>
    <message>
        <source>%1 slice %2</source>
        <extracomment>%1: a view code (sax, 2ch, ...), %2: a slice number.</extracomment>
        <translation>%1 层面 %2</translation>
    </message>
</context>
<context>
    <name>planelab::ui::ResultsView</name>
    <message>
        <source>from scratch</source>
        <translation>从头训练</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>%1, permuted targets</source>
        <translation>%1，置换目标</translation>
    </message>
    <message>
        <source>%1, encoder only</source>
        <translation>%1，仅编码器</translation>
    </message>
    <message>
        <source>%1, last checkpoint</source>
        <translation>%1，最后检查点</translation>
    </message>
    <message>
        <source>pretrained (%1)</source>
        <translation>预训练（%1）</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Run study…</source>
        <translation>运行研究…</translation>
    </message>
    <message>
        <source>Run or resume a study (several experiments and one report; docs/study.md)</source>
        <translation>运行或继续一项研究（多个实验和一份报告；docs/study.md）</translation>
    </message>
    <message>
        <source>Test Dice against labelled subjects</source>
        <translation>测试 Dice 与有标注受试者数的关系</translation>
    </message>
    <message>
        <source>No folder chosen.</source>
        <translation>未选择文件夹。</translation>
    </message>
    <message>
        <source>Folder of run folders</source>
        <translation>包含运行文件夹的文件夹</translation>
    </message>
    <message>
        <source>Study config</source>
        <translation>研究配置</translation>
    </message>
    <message>
        <source>Study (*.json)</source>
        <translation>研究 (*.json)</translation>
    </message>
    <message>
        <source>Study report: &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;</source>
        <translation>研究报告：&lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n fine-tuning run(s) for segmentation</source>
        <translation>
            <numerusform>%n 次分割微调运行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other finished run(s) not shown (pretraining, classification)</source>
        <translation>
            <numerusform>另有 %n 次已完成的运行未显示（预训练、分类）</numerusform>
        </translation>
    </message>
    <message>
        <source>unreadable: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Arm</source>
        <translation>实验组</translation>
    </message>
    <message>
        <source>Pretrained run</source>
        <translation>预训练运行</translation>
    </message>
    <message>
        <source>Labelled subjects</source>
        <translation>有标注的受试者</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Dice %1</source>
        <extracomment>Dice similarity coefficient of the label class %1 (a column header).</extracomment>
        <translation>Dice %1</translation>
    </message>
    <message>
        <source>Mean Dice</source>
        <translation>平均 Dice</translation>
    </message>
    <message>
        <source>HD95 (mm)</source>
        <extracomment>95th percentile Hausdorff distance, in millimetres.</extracomment>
        <translation>HD95 (mm)</translation>
    </message>
    <message>
        <source>labelled subjects</source>
        <translation>有标注的受试者</translation>
    </message>
    <message>
        <source>mean Dice (test)</source>
        <translation>平均 Dice（测试）</translation>
    </message>
    <message>
        <source>%1: mean over seeds</source>
        <translation>%1：各随机种子的平均值</translation>
    </message>
    <message>
        <source>%1: runs</source>
        <translation>%1：各次运行</translation>
    </message>
</context>
<context>
    <name>planelab::ui::StudyView</name>
    <message>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Heatmap targets</source>
        <translation>热图目标</translation>
    </message>
    <message>
        <source>Overlay the image&apos;s labels (DICOM SEG)</source>
        <translation>叠加显示图像的标注（DICOM SEG）</translation>
    </message>
    <message>
        <source>Overlay the orientation pretext task&apos;s targets for this image</source>
        <translation>叠加显示此图像的方向前置任务目标</translation>
    </message>
    <message>
        <source>▶ Cine</source>
        <translation>▶ 电影序列</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>Fit the image and reset the window (R)</source>
        <translation>使图像适应窗口并重置窗宽/窗位（R）</translation>
    </message>
    <message>
        <source>Lines:</source>
        <translation>线：</translation>
    </message>
    <message>
        <source>Slice</source>
        <translation>层面</translation>
    </message>
    <message>
        <source>Location (mm)</source>
        <translation>位置 (mm)</translation>
    </message>
    <message>
        <source>Misalignment (mm)</source>
        <translation>错位 (mm)</translation>
    </message>
    <message>
        <source>NCC</source>
        <extracomment>Normalised cross-correlation (a column header).</extracomment>
        <translation>NCC</translation>
    </message>
    <message>
        <source>Stack %1 · %2 · %3 slices%4</source>
        <translation>层叠 %1 · %2 · %3 个层面%4</translation>
    </message>
    <message>
        <source> · no misalignment scores (run Curate)</source>
        <translation> · 无错位评分（请运行整理）</translation>
    </message>
    <message>
        <source>Flagged: estimated displacement above the threshold</source>
        <translation>已标记：估计位移超过阈值</translation>
    </message>
</context>
<context>
    <name>planelab::ui::TagBrowser</name>
    <message>
        <source>DICOM tags — %1</source>
        <translation>DICOM 标签 — %1</translation>
    </message>
    <message>
        <source>Filter by tag, keyword or value</source>
        <translation>按标签、关键字或值筛选</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>VR</source>
        <translation>VR</translation>
    </message>
    <message>
        <source>Keyword</source>
        <translation>关键字</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>[%1] the file could not be read completely; showing what was read.</source>
        <translation>[%1] 无法完整读取该文件；显示已读取的内容。</translation>
    </message>
</context>
<context>
    <name>planelab::ui::TrainingDashboard</name>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>对数损失轴</translation>
    </message>
    <message>
        <source>Open run…</source>
        <translation>打开运行…</translation>
    </message>
    <message>
        <source>Resume run</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>Export model…</source>
        <translation>导出模型…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Curves drawn for every shown run</source>
        <translation>为每个显示的运行绘制的曲线</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Exponential moving average of the per-iteration losses</source>
        <translation>每次迭代损失的指数移动平均</translation>
    </message>
    <message>
        <source>smoothing %1</source>
        <translation>平滑 %1</translation>
    </message>
    <message>
        <source>Runs shown in the chart; the selected one is described below</source>
        <translation>图表中显示的运行；所选运行的说明见下方</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Open run folder</source>
        <translation>打开运行文件夹</translation>
    </message>
    <message>
        <source>Cancelled; the run can be resumed from its last epoch.</source>
        <translation>已取消；可从最后一个轮次继续该运行。</translation>
    </message>
    <message>
        <source>Cancelled before the first epoch ended; start it again.</source>
        <translation>在第一个轮次结束前已取消；请重新开始。</translation>
    </message>
    <message>
        <source>Finished; evaluation.json holds the test results.</source>
        <translation>已完成；测试结果保存在 evaluation.json 中。</translation>
    </message>
    <message>
        <source>Open run %1</source>
        <translation>打开运行 %1</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <source>Interrupted; it can be resumed from its last epoch.</source>
        <translation>已中断；可从最后一个轮次继续。</translation>
    </message>
    <message>
        <source>Not finished and nothing to resume from.</source>
        <translation>未完成，且没有可继续的内容。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 per iteration</source>
        <translation>%1（每次迭代）</translation>
    </message>
    <message>
        <source>%1 epoch mean</source>
        <translation>%1（轮次平均）</translation>
    </message>
    <message>
        <source>validation %1</source>
        <translation>验证 %1</translation>
    </message>
    <message>
        <source>loss / metric</source>
        <translation>损失 / 指标</translation>
    </message>
    <message>
        <source>No run yet: open a run folder, or start a run from the experiment wizard.</source>
        <translation>尚无运行：打开一个运行文件夹，或从实验向导启动运行。</translation>
    </message>
    <message>
        <source>epoch %1 of %2</source>
        <translation>轮次 %1/%2</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>轮次 %1</translation>
    </message>
    <message>
        <source>learning rate %1</source>
        <translation>学习率 %1</translation>
    </message>
    <message>
        <source>%1 images/s</source>
        <translation>%1 幅图像/秒</translation>
    </message>
    <message>
        <source>device %1</source>
        <translation>设备 %1</translation>
    </message>
    <message>
        <source>elapsed %1</source>
        <translation>已用时间 %1</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>剩余时间 %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <source>Exported to %1 (model card next to it).</source>
        <translation>已导出到 %1（模型卡位于其旁）。</translation>
    </message>
    <message>
        <source>TorchScript or ONNX with its model card (docs/export.md)</source>
        <translation>TorchScript 或 ONNX，附模型卡（docs/export.md）</translation>
    </message>
</context>
<context>
    <name>planelab::ui::TrainingFeed</name>
    <message>
        <source>epoch %1 of %2</source>
        <translation>轮次 %1/%2</translation>
    </message>
    <message>
        <source>Resume training %1</source>
        <translation>继续训练 %1</translation>
    </message>
    <message>
        <source>Train %1 (%2)</source>
        <translation>训练 %1（%2）</translation>
    </message>
</context>
</TS>
