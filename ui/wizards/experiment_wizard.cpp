#include "ui/wizards/experiment_wizard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWizardPage>
#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "curation/study_scene.h"
#include "data/pretext_targets.h"
#include "data/target_grid.h"
#include "ui/catalog/table_values.h"
#include "ui/training/experiment_job.h"
#include "ui/view_colours.h"

namespace planelab::ui {
namespace {

const std::vector<std::string> kHeartViews = {"sax", "2ch", "3ch", "4ch"};
const std::vector<std::string> kKneeViews = {"sag", "cor", "ax"};

// "1, 2, 4" → {1, 2, 4}; nullopt when a part is not a non-negative integer or the list is empty.
std::optional<std::vector<long long>> parseList(const QString& text) {
  std::vector<long long> out;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const long long v = part.trimmed().toLongLong(&ok);
    if (!ok || v < 0) return std::nullopt;
    out.push_back(v);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

QString problemText(const std::vector<experiment::Problem>& problems) {
  QStringList lines;
  for (const auto& p : problems) {
    lines << QStringLiteral("⚠ %1 [%2]")
                 .arg(QString::fromStdString(p.message), QString::fromStdString(p.key));
  }
  return lines.join(QLatin1Char('\n'));
}

QLabel* problemLabel(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setObjectName(QStringLiteral("problems"));
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("color: #c62828;"));
  return label;
}

// A row of checkable view names.
class ViewChecks : public QWidget {
 public:
  ViewChecks(const QString& name, QWidget* parent)
      : QWidget(parent), layout_(new QHBoxLayout(this)) {
    setObjectName(name);
    layout_->setContentsMargins(0, 0, 0, 0);
  }
  void setViews(const std::vector<std::string>& views, const std::vector<std::string>& checked,
                const std::function<void()>& changed) {
    for (QCheckBox* box : boxes_) box->deleteLater();
    boxes_.clear();
    for (const std::string& view : views) {
      auto* box = new QCheckBox(QString::fromStdString(view), this);
      box->setObjectName(objectName() + QLatin1Char('_') + QString::fromStdString(view));
      box->setChecked(std::find(checked.begin(), checked.end(), view) != checked.end());
      connect(box, &QCheckBox::toggled, this, [changed] { changed(); });
      layout_->addWidget(box);
      boxes_.push_back(box);
    }
  }
  std::vector<std::string> checked() const {
    std::vector<std::string> out;
    for (const QCheckBox* box : boxes_) {
      if (box->isChecked()) out.push_back(box->text().toStdString());
    }
    return out;
  }

 private:
  QHBoxLayout* layout_;
  std::vector<QCheckBox*> boxes_;
};

}  // namespace

// --- Data --------------------------------------------------------------------------------------

class ExperimentDataPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ExperimentDataPage(ExperimentWizard* wizard)
      : wizard_(wizard),
        studies_(new QTreeWidget(this)),
        organ_(new QComboBox(this)),
        views_(new ViewChecks(QStringLiteral("sampleViews"), this)),
        spacing_(new QDoubleSpinBox(this)),
        size_(new QSpinBox(this)),
        counts_(new QLabel(this)),
        problems_(problemLabel(this)) {
    setTitle(tr("Data"));
    setSubTitle(
        tr("Which studies, which views become training samples, and the grid they are "
           "resampled to."));
    studies_->setObjectName(QStringLiteral("studyList"));
    studies_->setHeaderLabels({tr("Patient"), tr("Study"), tr("Series"), tr("Images")});
    studies_->setRootIsDecorated(false);
    organ_->setObjectName(QStringLiteral("organ"));
    organ_->addItem(tr("Heart (cardiac MR views)"), QStringLiteral("heart"));
    organ_->addItem(tr("Knee (sagittal, coronal, axial)"), QStringLiteral("knee"));
    spacing_->setObjectName(QStringLiteral("gridSpacing"));
    spacing_->setRange(0.2, 10.0);
    spacing_->setDecimals(2);
    //: Unit suffix of a spin box: millimetres.
    spacing_->setSuffix(tr(" mm"));
    spacing_->setValue(2.5);
    size_->setObjectName(QStringLiteral("gridSize"));
    size_->setRange(32, 512);
    size_->setSingleStep(16);
    //: Unit suffix of a spin box: pixels.
    size_->setSuffix(tr(" px"));
    size_->setValue(96);
    counts_->setObjectName(QStringLiteral("dataCounts"));
    counts_->setWordWrap(true);
    auto* all = new QPushButton(tr("All"), this);
    auto* none = new QPushButton(tr("None"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(all);
    buttons->addWidget(none);
    buttons->addStretch(1);
    auto* form = new QFormLayout;
    form->addRow(tr("Organ"), organ_);
    form->addRow(tr("Sample views"), views_);
    form->addRow(tr("Grid spacing"), spacing_);
    form->addRow(tr("Grid size"), size_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(studies_, 1);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(counts_);
    layout->addWidget(problems_);

    connect(all, &QPushButton::clicked, this, [this] { checkAll(Qt::Checked); });
    connect(none, &QPushButton::clicked, this, [this] { checkAll(Qt::Unchecked); });
    connect(studies_, &QTreeWidget::itemChanged, this, [this] { wizard_->recount(); });
    connect(organ_, &QComboBox::currentIndexChanged, this, [this] {
      resetViews();
      refresh();
    });
    connect(spacing_, &QDoubleSpinBox::valueChanged, this, [this] { refresh(); });
    connect(size_, &QSpinBox::valueChanged, this, [this] { refresh(); });
    loadStudies();
    resetViews();
  }

  std::string organ() const { return organ_->currentData().toString().toStdString(); }
  std::vector<std::string> selectedStudies() const {
    std::vector<std::string> uids;
    for (int i = 0; i < studies_->topLevelItemCount(); ++i) {
      const QTreeWidgetItem* item = studies_->topLevelItem(i);
      if (item->checkState(0) == Qt::Checked) {
        uids.push_back(item->data(0, Qt::UserRole).toString().toStdString());
      }
    }
    return uids;
  }
  bool allSelected() const {
    return static_cast<int>(selectedStudies().size()) == studies_->topLevelItemCount();
  }
  void fill(experiment::ExperimentConfig& config) const {
    config.plan.organ = organ();
    config.plan.views = views_->checked();
    config.plan.grid.spacing_mm = spacing_->value();
    config.plan.grid.size = size_->value();
  }
  bool isComplete() const override { return wizard_->problems("data").empty(); }
  void refresh() {
    const experiment::DataCounts& c = wizard_->counts();
    QStringList views;
    for (const auto& [view, n] : c.planes_by_view) {
      views << QStringLiteral("%1 %2").arg(QString::fromStdString(view)).arg(n);
    }
    QStringList labels;
    for (const std::string& name : c.label_names) labels << QString::fromStdString(name);
    counts_->setText(tr("%1 subjects in %2 studies · planes: %3 · %4 labelled images of %5 "
                        "subjects%6")
                         .arg(c.subjects)
                         .arg(c.studies)
                         .arg(views.isEmpty() ? tr("none (curate the catalog first)")
                                              : views.join(QStringLiteral(", ")))
                         .arg(c.labelled_images)
                         .arg(c.labelled_subjects)
                         .arg(labels.isEmpty()
                                  ? QString()
                                  : tr(" (%1)").arg(labels.join(QStringLiteral(", ")))));
    problems_->setText(problemText(wizard_->problems("data")));
    Q_EMIT completeChanged();
  }

 private:
  void loadStudies() {
    catalog::Catalog* cat = wizard_->session()->catalog();
    if (cat == nullptr) return;
    const catalog::Table table = cat->list(catalog::Level::kStudies, {});
    const QSignalBlocker block(studies_);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      auto* item =
          new QTreeWidgetItem({cellText(table, r, "patient_id"), cellText(table, r, "description"),
                               cellText(table, r, "series"), cellText(table, r, "instances")});
      item->setData(0, Qt::UserRole, cellText(table, r, "study_instance_uid"));
      item->setCheckState(0, Qt::Checked);
      studies_->addTopLevelItem(item);
    }
    // Knee catalogs: preselect the knee when every study says so.
    bool knee = table.rows.size() > 0;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      knee = knee &&
             cellText(table, r, "description").contains(QLatin1String("knee"), Qt::CaseInsensitive);
    }
    if (knee) organ_->setCurrentIndex(1);
  }
  void checkAll(Qt::CheckState state) {
    {
      const QSignalBlocker block(studies_);
      for (int i = 0; i < studies_->topLevelItemCount(); ++i) {
        studies_->topLevelItem(i)->setCheckState(0, state);
      }
    }
    wizard_->recount();
  }
  void resetViews() {
    if (organ() == "knee") {
      views_->setViews(kKneeViews, kKneeViews, [this] { refresh(); });
    } else {
      views_->setViews(kHeartViews, {"sax"}, [this] { refresh(); });
    }
  }

  ExperimentWizard* wizard_;
  QTreeWidget* studies_;
  QComboBox* organ_;
  ViewChecks* views_;
  QDoubleSpinBox* spacing_;
  QSpinBox* size_;
  QLabel* counts_;
  QLabel* problems_;
};

// --- Pretext tasks -----------------------------------------------------------------------------

class ExperimentPretextPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ExperimentPretextPage(ExperimentWizard* wizard)
      : wizard_(wizard),
        heatmap_weight_(new QDoubleSpinBox(this)),
        location_weight_(new QDoubleSpinBox(this)),
        heatmap_views_(new ViewChecks(QStringLiteral("heatmapViews"), this)),
        sigma_(new QDoubleSpinBox(this)),
        location_mode_(new QComboBox(this)),
        preview_(new QLabel(this)),
        preview_caption_(new QLabel(this)),
        problems_(problemLabel(this)) {
    setTitle(tr("Pretext tasks"));
    setSubTitle(
        tr("The arms to compare (each pretrained separately; scratch is the baseline) and "
           "how the targets are built. The preview shows the targets on sample images."));
    auto* arms = new QGroupBox(tr("Arms"), this);
    auto* arm_layout = new QGridLayout(arms);
    const std::vector<std::pair<std::string, QString>> kArms = {
        {"scratch", tr("scratch (no pretraining)")},
        {"multitask", tr("multitask: intersecting lines + slice location")},
        {"orientation", tr("orientation only (intersecting lines)")},
        {"location", tr("location only (slice location)")},
        {"genesis", tr("Models-Genesis-style restoration (baseline)")},
        {"control", tr("control: multitask on permuted targets")}};
    int k = 0;
    for (const auto& [name, text] : kArms) {
      auto* box = new QCheckBox(text, arms);
      box->setObjectName(QStringLiteral("arm_") + QString::fromStdString(name));
      box->setChecked(name == "scratch" || name == "multitask");
      connect(box, &QCheckBox::toggled, this, [this] { refresh(); });
      arm_layout->addWidget(box, k / 2, k % 2);
      arms_.emplace_back(name, box);
      ++k;
    }
    heatmap_weight_->setObjectName(QStringLiteral("heatmapWeight"));
    location_weight_->setObjectName(QStringLiteral("locationWeight"));
    for (QDoubleSpinBox* w : {heatmap_weight_, location_weight_}) {
      w->setRange(0.0, 100.0);
      w->setDecimals(2);
      w->setValue(1.0);
    }
    sigma_->setObjectName(QStringLiteral("heatmapSigma"));
    sigma_->setRange(0.5, 50.0);
    sigma_->setValue(3.0);
    sigma_->setSuffix(tr(" px"));
    location_mode_->setObjectName(QStringLiteral("locationMode"));
    location_mode_->addItem(tr("anatomical (base → apex)"), QStringLiteral("anatomical"));
    location_mode_->addItem(tr("paper (slice order)"), QStringLiteral("paper"));
    preview_->setObjectName(QStringLiteral("targetPreview"));
    preview_->setMinimumHeight(200);
    preview_caption_->setWordWrap(true);
    auto* next = new QPushButton(tr("Another sample"), this);
    next->setObjectName(QStringLiteral("nextSample"));
    auto* form = new QFormLayout;
    form->addRow(tr("Heatmap weight α"), heatmap_weight_);
    form->addRow(tr("Location weight β"), location_weight_);
    form->addRow(tr("Heatmap channels (views)"), heatmap_views_);
    form->addRow(tr("Ridge width σ"), sigma_);
    form->addRow(tr("Slice location"), location_mode_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(arms);
    layout->addLayout(form);
    layout->addWidget(preview_, 1);
    auto* caption_row = new QHBoxLayout;
    caption_row->addWidget(preview_caption_, 1);
    caption_row->addWidget(next);
    layout->addLayout(caption_row);
    layout->addWidget(problems_);
    for (QDoubleSpinBox* w : {heatmap_weight_, location_weight_, sigma_}) {
      connect(w, &QDoubleSpinBox::valueChanged, this, [this] { refresh(); });
    }
    connect(location_mode_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(next, &QPushButton::clicked, this, [this] {
      ++sample_;
      refresh();
    });
  }

  void initializePage() override {
    const bool knee = wizard_->config().plan.organ == "knee";
    heatmap_views_->setViews(
        knee ? kKneeViews : std::vector<std::string>{"2ch", "3ch", "4ch"},
        knee ? std::vector<std::string>{"cor", "ax"} : std::vector<std::string>{"2ch", "4ch"},
        [this] { refresh(); });
    refresh();
  }
  void fill(experiment::ExperimentConfig& config) const {
    config.arms.clear();
    for (const auto& [name, box] : arms_) {
      if (box->isChecked()) config.arms.push_back(name);
    }
    config.plan.heatmap_views = heatmap_views_->checked();
    config.plan.heatmap.sigma_px = sigma_->value();
    config.plan.location_mode =
        *data::parseLocationMode(location_mode_->currentData().toString().toStdString());
    config.pretrain.pretext.heatmap_weight = heatmap_weight_->value();
    config.pretrain.pretext.location_weight = location_weight_->value();
  }
  bool isComplete() const override { return wizard_->problems("pretext").empty(); }
  // The last preview's heatmap peak (tests: ~1 when a line crosses the sample).
  float previewPeak() const { return preview_peak_; }

 private:
  void refresh() {
    problems_->setText(problemText(wizard_->problems("pretext")));
    renderPreview();
    Q_EMIT completeChanged();
  }

  // Up to three sample planes of the sample view (basal, mid, apical for a stack) of one selected
  // study, each resampled onto the plan's grid with its heatmap channels blended in the views'
  // colours and its relative location written under it.
  void renderPreview() {
    preview_peak_ = 0.0f;
    const experiment::ExperimentConfig config = wizard_->config();
    catalog::Catalog* cat = wizard_->session()->catalog();
    if (cat == nullptr || !config.catalog || config.plan.views.empty()) return;
    std::vector<catalog::StudyRef> refs;
    for (const catalog::StudyRef& ref : cat->studies()) {
      const auto& wanted = config.catalog->studies;
      if (wanted.empty() ||
          std::find(wanted.begin(), wanted.end(), ref.study_instance_uid) != wanted.end()) {
        refs.push_back(ref);
      }
    }
    if (refs.empty()) return;
    catalog::Status status;
    const auto scene = curation::loadStudyScene(
        *cat, refs[static_cast<std::size_t>(sample_) % refs.size()].id, status);
    if (!scene) return;
    const auto& curation = scene->curation;
    std::vector<int> planes;
    for (std::size_t p = 0; p < curation.planes.size(); ++p) {
      if (curation.planes[p].kept &&
          curation::planeView(curation, static_cast<int>(p)) == config.plan.views.front()) {
        planes.push_back(static_cast<int>(p));
      }
    }
    std::sort(planes.begin(), planes.end(), [&](int a, int b) {
      return curation.planes[static_cast<std::size_t>(a)].slice_index <
             curation.planes[static_cast<std::size_t>(b)].slice_index;
    });
    if (planes.size() > 3) planes = {planes.front(), planes[planes.size() / 2], planes.back()};
    const int tile = 180;
    QImage canvas(tile * static_cast<int>(std::max<std::size_t>(planes.size(), 1)), tile + 34,
                  QImage::Format_RGB32);
    canvas.fill(Qt::black);
    QPainter painter(&canvas);
    painter.setPen(Qt::white);
    for (std::size_t i = 0; i < planes.size(); ++i) {
      const curation::Plane& plane = curation.planes[static_cast<std::size_t>(planes[i])];
      const CachedFrame frame = wizard_->images().frame(plane.images.front());
      if (!frame.image) continue;
      const geometry::ImagePlane target = data::resampledPlane(plane.geometry, config.plan.grid);
      const std::vector<float> pixels =
          data::resampleImage(frame.image->values.data(), plane.geometry, config.plan.grid,
                              data::Interpolation::kLinear);
      // Min-max window: the grid's zero padding is black either way.
      const auto window = std::minmax_element(pixels.begin(), pixels.end());
      const double low = *window.first, high = std::max(*window.second, *window.first + 1e-6f);
      QImage image(target.cols, target.rows, QImage::Format_RGB32);
      std::vector<std::pair<QColor, std::vector<float>>> channels;
      std::vector<const geometry::ImagePlane*> others;
      QStringList flags;
      for (const std::string& view : config.plan.heatmap_views) {
        const auto chosen = curation::heatmapChannelPlanes(curation, planes[i], {view});
        const int other = chosen.empty() ? -1 : chosen.front().second;
        if (other < 0) {
          flags << QStringLiteral("%1: view_missing").arg(QString::fromStdString(view));
          continue;
        }
        data::LineHeatmap h = data::lineHeatmap(
            target, curation.planes[static_cast<std::size_t>(other)].geometry, config.plan.heatmap);
        if (!h.flag.empty()) {
          flags << QStringLiteral("%1: %2").arg(QString::fromStdString(view),
                                                QString::fromStdString(h.flag));
        }
        channels.emplace_back(viewColour(view), std::move(h.values));
      }
      for (int r = 0; r < target.rows; ++r) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(r));
        for (int c = 0; c < target.cols; ++c) {
          const std::size_t k = static_cast<std::size_t>(r) * target.cols + c;
          const double g = std::clamp((pixels[k] - low) / (high - low), 0.0, 1.0) * 255.0;
          double red = g, green = g, blue = g;
          for (const auto& [colour, values] : channels) {
            const double a = values[k];
            preview_peak_ = std::max(preview_peak_, values[k]);
            red = red * (1 - a) + colour.red() * a;
            green = green * (1 - a) + colour.green() * a;
            blue = blue * (1 - a) + colour.blue() * a;
          }
          line[c] = qRgb(static_cast<int>(red), static_cast<int>(green), static_cast<int>(blue));
        }
      }
      const int x = static_cast<int>(i) * tile;
      painter.drawImage(QRect(x + 2, 2, tile - 4, tile - 4), image);
      const auto location = config.plan.location_mode == data::LocationMode::kPaper
                                ? plane.relative_location_paper
                                : plane.relative_location_anatomical;
      painter.drawText(
          QRect(x, tile, tile, 32), Qt::AlignCenter | Qt::TextWordWrap,
          (location ? tr("location %1").arg(*location, 0, 'f', 2) : tr("no location")) +
              (flags.isEmpty() ? QString() : QLatin1Char('\n') + flags.join(QStringLiteral(", "))));
    }
    painter.end();
    preview_->setPixmap(QPixmap::fromImage(canvas));
    preview_caption_->setText(tr("%1 · %2 · targets on the %3 mm × %4 px grid, σ %5 px")
                                  .arg(QString::fromStdString(scene->study.patient_id),
                                       QString::fromStdString(config.plan.views.front()))
                                  .arg(config.plan.grid.spacing_mm)
                                  .arg(config.plan.grid.size)
                                  .arg(config.plan.heatmap.sigma_px));
  }

  ExperimentWizard* wizard_;
  std::vector<std::pair<std::string, QCheckBox*>> arms_;
  QDoubleSpinBox* heatmap_weight_;
  QDoubleSpinBox* location_weight_;
  ViewChecks* heatmap_views_;
  QDoubleSpinBox* sigma_;
  QComboBox* location_mode_;
  QLabel* preview_;
  QLabel* preview_caption_;
  QLabel* problems_;
  int sample_ = 0;
  float preview_peak_ = 0.0f;
};

// --- Network and optimisation -----------------------------------------------------------------

class ExperimentNetworkPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ExperimentNetworkPage(ExperimentWizard* wizard)
      : wizard_(wizard),
        preset_(new QComboBox(this)),
        base_width_(new QSpinBox(this)),
        depth_(new QSpinBox(this)),
        pretrain_epochs_(new QSpinBox(this)),
        finetune_epochs_(new QSpinBox(this)),
        batch_(new QSpinBox(this)),
        lr_(new QDoubleSpinBox(this)),
        optimizer_(new QComboBox(this)),
        threads_(new QSpinBox(this)),
        device_(new QComboBox(this)),
        problems_(problemLabel(this)) {
    setTitle(tr("Network and optimisation"));
    setSubTitle(
        tr("compact suits 96–128 px on a CPU; paper is the published U-Net (base 64) "
           "for 224 px on a GPU."));
    preset_->setObjectName(QStringLiteral("preset"));
    preset_->addItem(QStringLiteral("compact"));
    preset_->addItem(QStringLiteral("paper"));
    base_width_->setObjectName(QStringLiteral("baseWidth"));
    base_width_->setRange(2, 128);
    depth_->setObjectName(QStringLiteral("depth"));
    depth_->setRange(2, 7);
    pretrain_epochs_->setObjectName(QStringLiteral("pretrainEpochs"));
    finetune_epochs_->setObjectName(QStringLiteral("finetuneEpochs"));
    for (QSpinBox* e : {pretrain_epochs_, finetune_epochs_}) e->setRange(1, 5000);
    pretrain_epochs_->setValue(20);
    finetune_epochs_->setValue(100);
    batch_->setObjectName(QStringLiteral("batchSize"));
    batch_->setRange(1, 512);
    batch_->setValue(16);
    lr_->setObjectName(QStringLiteral("learningRate"));
    lr_->setDecimals(6);
    lr_->setRange(1e-6, 1.0);
    lr_->setSingleStep(1e-4);
    lr_->setValue(1e-3);
    optimizer_->addItems({QStringLiteral("adam"), QStringLiteral("adamw"), QStringLiteral("sgd")});
    threads_->setObjectName(QStringLiteral("threads"));
    threads_->setRange(0, 256);
    threads_->setValue(QThread::idealThreadCount());
    threads_->setSpecialValueText(tr("all cores"));
    device_->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    auto* form = new QFormLayout(this);
    form->addRow(tr("Preset"), preset_);
    form->addRow(tr("Base width (channels)"), base_width_);
    form->addRow(tr("Depth (encoder blocks)"), depth_);
    form->addRow(tr("Pretraining epochs"), pretrain_epochs_);
    form->addRow(tr("Fine-tuning epochs"), finetune_epochs_);
    form->addRow(tr("Batch size"), batch_);
    form->addRow(tr("Learning rate"), lr_);
    form->addRow(tr("Optimiser"), optimizer_);
    form->addRow(tr("CPU threads"), threads_);
    form->addRow(tr("Device"), device_);
    form->addRow(problems_);
    connect(preset_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
      const nn::NetworkConfig net = nn::preset(name.toStdString());
      base_width_->setValue(net.base_width);
      depth_->setValue(net.depth);
    });
    for (QSpinBox* s : {base_width_, depth_, batch_}) {
      connect(s, &QSpinBox::valueChanged, this, [this] { refresh(); });
    }
    const nn::NetworkConfig net = nn::preset("compact");
    base_width_->setValue(net.base_width);
    depth_->setValue(net.depth);
  }

  void initializePage() override { refresh(); }
  void fill(experiment::ExperimentConfig& config) const {
    for (train::TrainConfig* t : {&config.pretrain, &config.finetune}) {
      t->network = nn::preset(preset_->currentText().toStdString());
      t->network.base_width = base_width_->value();
      t->network.depth = depth_->value();
      t->batch_size = batch_->value();
      t->optimizer.name = optimizer_->currentText().toStdString();
      t->optimizer.lr = lr_->value();
      t->threads = threads_->value();
      t->device = device_->currentText().toStdString();
    }
    config.pretrain.epochs = pretrain_epochs_->value();
    config.finetune.epochs = finetune_epochs_->value();
  }
  bool isComplete() const override { return wizard_->problems("network").empty(); }

 private:
  void refresh() {
    problems_->setText(problemText(wizard_->problems("network")));
    Q_EMIT completeChanged();
  }

  ExperimentWizard* wizard_;
  QComboBox* preset_;
  QSpinBox* base_width_;
  QSpinBox* depth_;
  QSpinBox* pretrain_epochs_;
  QSpinBox* finetune_epochs_;
  QSpinBox* batch_;
  QDoubleSpinBox* lr_;
  QComboBox* optimizer_;
  QSpinBox* threads_;
  QComboBox* device_;
  QLabel* problems_;
};

// --- Target task -------------------------------------------------------------------------------

class ExperimentTargetPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ExperimentTargetPage(ExperimentWizard* wizard)
      : wizard_(wizard),
        task_(new QComboBox(this)),
        class_labels_(new QLineEdit(this)),
        budgets_(new QLineEdit(this)),
        seeds_(new QLineEdit(this)),
        transfer_(new QComboBox(this)),
        problems_(problemLabel(this)) {
    setTitle(tr("Target task"));
    setSubTitle(
        tr("What the pretrained networks are fine-tuned for, with how many labelled "
           "subjects, repeated for each seed (the label draw is nested across budgets)."));
    task_->setObjectName(QStringLiteral("task"));
    task_->addItem(tr("Segmentation (labels from DICOM SEG)"), QStringLiteral("segmentation"));
    task_->addItem(tr("Classification (a label per subject)"), QStringLiteral("classification"));
    class_labels_->setObjectName(QStringLiteral("classLabels"));
    class_labels_->setPlaceholderText(tr("CSV with patient_id,label"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    budgets_->setObjectName(QStringLiteral("budgets"));
    budgets_->setText(QStringLiteral("1, 2, 4"));
    budgets_->setToolTip(tr("Labelled subjects per fine-tuning, comma separated; 0 = all"));
    seeds_->setObjectName(QStringLiteral("seeds"));
    seeds_->setText(QStringLiteral("1"));
    transfer_->addItem(tr("encoder and decoder (official code)"),
                       QStringLiteral("encoder_decoder"));
    transfer_->addItem(tr("encoder only"), QStringLiteral("encoder"));
    auto* labels_row = new QHBoxLayout;
    labels_row->addWidget(class_labels_, 1);
    labels_row->addWidget(browse);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Task"), task_);
    form->addRow(tr("Class labels"), labels_row);
    form->addRow(tr("Label budgets"), budgets_);
    form->addRow(tr("Seeds"), seeds_);
    form->addRow(tr("Weights transferred"), transfer_);
    form->addRow(problems_);
    connect(browse, &QPushButton::clicked, this, [this] {
      const QString file = QFileDialog::getOpenFileName(this, tr("Class labels"), QString(),
                                                        tr("CSV (*.csv);;All files (*)"));
      if (!file.isEmpty()) class_labels_->setText(file);
    });
    connect(task_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    // Class labels change the counts (a catalog query); budgets and seeds only the checks.
    connect(class_labels_, &QLineEdit::textChanged, this, [this] {
      wizard_->recount();
      refresh();
    });
    for (QLineEdit* e : {budgets_, seeds_}) {
      connect(e, &QLineEdit::textChanged, this, [this] { refresh(); });
    }
  }

  void initializePage() override { refresh(); }
  void fill(experiment::ExperimentConfig& config) const {
    const std::string task = task_->currentData().toString().toStdString();
    const train::TrainConfig keep = config.finetune;
    config.finetune = train::defaultConfig(task);
    config.finetune.network = keep.network;
    config.finetune.batch_size = keep.batch_size;
    config.finetune.optimizer = keep.optimizer;
    config.finetune.threads = keep.threads;
    config.finetune.device = keep.device;
    config.finetune.epochs = keep.epochs;
    config.finetune.finetune.transfer = transfer_->currentData().toString().toStdString();
    if (config.catalog) config.catalog->class_labels = class_labels_->text().toStdString();
    if (const auto budgets = parseList(budgets_->text())) {
      config.label_budgets.assign(budgets->begin(), budgets->end());
    }
    if (const auto seeds = parseList(seeds_->text()))
      config.seeds.assign(seeds->begin(), seeds->end());
  }
  // Parse problems of the two lists, before core's checks.
  std::vector<experiment::Problem> inputProblems() const {
    std::vector<experiment::Problem> out;
    if (!parseList(budgets_->text())) {
      out.push_back({"invalid_budgets", "target",
                     tr("Label budgets: whole numbers ≥ 0, comma separated").toStdString()});
    }
    if (!parseList(seeds_->text())) {
      out.push_back(
          {"invalid_seeds", "target", tr("Seeds: whole numbers, comma separated").toStdString()});
    }
    return out;
  }
  bool isComplete() const override { return wizard_->problems("target").empty(); }

 private:
  void refresh() {
    problems_->setText(problemText(wizard_->problems("target")));
    Q_EMIT completeChanged();
  }

  ExperimentWizard* wizard_;
  QComboBox* task_;
  QLineEdit* class_labels_;
  QLineEdit* budgets_;
  QLineEdit* seeds_;
  QComboBox* transfer_;
  QLabel* problems_;
};

// --- Review ------------------------------------------------------------------------------------

class ExperimentReviewPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ExperimentReviewPage(ExperimentWizard* wizard)
      : wizard_(wizard),
        name_(new QLineEdit(this)),
        out_(new QLineEdit(this)),
        steps_(new QListWidget(this)),
        json_(new QPlainTextEdit(this)),
        start_(new QCheckBox(tr("Start the experiment when I click Finish"), this)),
        problems_(problemLabel(this)) {
    setTitle(tr("Review"));
    setSubTitle(
        tr("Finish saves OUT/experiment.json — run it later with "
           "`planelab-cli experiment --config OUT/experiment.json`."));
    name_->setObjectName(QStringLiteral("experimentName"));
    name_->setText(tr("pretraining vs scratch"));
    out_->setObjectName(QStringLiteral("experimentOut"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    steps_->setObjectName(QStringLiteral("experimentSteps"));
    json_->setObjectName(QStringLiteral("experimentJson"));
    json_->setReadOnly(true);
    start_->setObjectName(QStringLiteral("startExperiment"));
    start_->setChecked(true);
    auto* out_row = new QHBoxLayout;
    out_row->addWidget(out_, 1);
    out_row->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Folder"), out_row);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    auto* lists = new QHBoxLayout;
    lists->addWidget(steps_, 1);
    lists->addWidget(json_, 1);
    layout->addLayout(lists, 1);
    layout->addWidget(start_);
    layout->addWidget(problems_);
    connect(browse, &QPushButton::clicked, this, [this] {
      const QString dir = QFileDialog::getExistingDirectory(this, tr("Experiment folder"));
      if (!dir.isEmpty()) out_->setText(dir);
    });
    for (QLineEdit* e : {name_, out_}) {
      connect(e, &QLineEdit::textChanged, this, [this] { refresh(); });
    }
  }

  void initializePage() override {
    if (out_->text().isEmpty() && wizard_->session()->isOpen()) {
      out_->setText(QFileInfo(wizard_->session()->path()).absolutePath() +
                    QStringLiteral("/experiments/") +
                    QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")));
    }
    refresh();
  }
  void fill(experiment::ExperimentConfig& config) const {
    config.name = name_->text().toStdString();
    config.out = out_->text().toStdString();
  }
  bool isComplete() const override { return ok_; }
  bool startRequested() const { return start_->isChecked(); }

 private:
  void refresh() {
    ok_ = false;
    steps_->clear();
    const experiment::ExperimentConfig config = wizard_->config();
    try {
      const nlohmann::json json = config.toJson();
      experiment::experimentFromJson(json);  // what the CLI would refuse, refused here too
      json_->setPlainText(QString::fromStdString(json.dump(2)));
      int pretrain = 0, finetune = 0;
      for (const experiment::Step& step : experiment::planSteps(config)) {
        if (step.kind == experiment::Step::Kind::kPretrain) ++pretrain;
        if (step.kind == experiment::Step::Kind::kFinetune) ++finetune;
        steps_->addItem(
            QStringLiteral("%1  [%2]").arg(stepTitle(step), QString::fromStdString(step.state)));
      }
      QString text = tr("%1 pretraining and %2 fine-tuning runs").arg(pretrain).arg(finetune);
      bool folder_ok = !config.out.empty();
      if (folder_ok) {
        switch (experiment::experimentFolderUse(config)) {
          case experiment::FolderUse::kFree:
            break;
          case experiment::FolderUse::kSameExperiment:
            text +=
                tr(" · the folder holds this experiment: finished runs are kept, "
                   "interrupted ones resume");
            break;
          case experiment::FolderUse::kOtherExperiment:
          case experiment::FolderUse::kOtherContent:
            text =
                tr("⚠ The folder is not empty and holds no copy of this experiment; choose "
                   "another (nothing is overwritten) [experiment_exists]");
            folder_ok = false;
            break;
        }
      }
      problems_->setText(text);
      problems_->setStyleSheet(folder_ok ? QString() : QStringLiteral("color: #c62828;"));
      ok_ = !config.name.empty() && folder_ok;
    } catch (const std::exception& e) {
      json_->clear();
      problems_->setStyleSheet(QStringLiteral("color: #c62828;"));
      problems_->setText(QStringLiteral("⚠ ") + QString::fromUtf8(e.what()));
    }
    Q_EMIT completeChanged();
  }

  ExperimentWizard* wizard_;
  QLineEdit* name_;
  QLineEdit* out_;
  QListWidget* steps_;
  QPlainTextEdit* json_;
  QCheckBox* start_;
  QLabel* problems_;
  bool ok_ = false;
};

// --- The wizard --------------------------------------------------------------------------------

ExperimentWizard::ExperimentWizard(CatalogSession* session, QWidget* parent)
    : QWizard(parent), session_(session) {
  setObjectName(QStringLiteral("experimentWizard"));
  setWindowTitle(tr("New experiment"));
  setWizardStyle(QWizard::ModernStyle);
  resize(900, 760);
  data_ = new ExperimentDataPage(this);
  pretext_ = new ExperimentPretextPage(this);
  network_ = new ExperimentNetworkPage(this);
  target_ = new ExperimentTargetPage(this);
  review_ = new ExperimentReviewPage(this);
  setPage(kDataPage, data_);
  setPage(kPretextPage, pretext_);
  setPage(kNetworkPage, network_);
  setPage(kTargetPage, target_);
  setPage(kReviewPage, review_);
  ready_ = true;
  recount();
}

ExperimentWizard::~ExperimentWizard() = default;

experiment::ExperimentConfig ExperimentWizard::config() const {
  experiment::ExperimentConfig config;
  if (!ready_) return config;
  experiment::CatalogSource source;
  source.catalog = session_->path().toStdString();
  if (!data_->allSelected()) source.studies = data_->selectedStudies();
  config.catalog = source;
  config.jobs = QThread::idealThreadCount();
  data_->fill(config);
  pretext_->fill(config);
  network_->fill(config);
  target_->fill(config);
  review_->fill(config);
  return config;
}

std::vector<experiment::Problem> ExperimentWizard::problems(const std::string& page) const {
  std::vector<experiment::Problem> out;
  if (!ready_) return out;
  const experiment::ExperimentConfig current = config();
  if (current.catalog && data_->selectedStudies().empty() && page == "data") {
    out.push_back({"no_studies", "data", tr("Select at least one study.").toStdString()});
  }
  if (page == "target") {
    for (const auto& p : target_->inputProblems()) out.push_back(p);
  }
  for (const experiment::Problem& p : experiment::checkExperiment(current, counts_)) {
    if (p.page == page) out.push_back(p);
  }
  return out;
}

void ExperimentWizard::recount() {
  if (!ready_ || !session_->isOpen()) return;
  catalog::Status status;
  experiment::CatalogSource source = *config().catalog;
  counts_ = experiment::catalogCounts(*session_->catalog(), source, status);
  data_->refresh();
}

bool ExperimentWizard::startRequested() const {
  return review_->startRequested();
}

float ExperimentWizard::previewPeak() const {
  return pretext_->previewPeak();
}

void ExperimentWizard::accept() {
  const experiment::ExperimentConfig current = config();
  const QString path =
      QDir(QString::fromStdString(current.out)).filePath(QStringLiteral("experiment.json"));
  try {
    experiment::saveExperimentConfig(current);
  } catch (const std::exception& e) {
    review_->setSubTitle(QStringLiteral("⚠ ") + QString::fromUtf8(e.what()));
    return;
  }
  saved_path_ = path;
  Q_EMIT experimentSaved(path, startRequested());
  QWizard::accept();
}

}  // namespace planelab::ui

#include "experiment_wizard.moc"
