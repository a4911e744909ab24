# Packer: gate a docker-built golden image before it is pushed. The docker builder commits
# the image; a shell-local post-processor saves it and runs premigrate on the archive, so a
# failed gate (exit 4, or 6 for an incomplete verdict) fails `packer build`. Merge into the
# template's build block; premigrate on PATH (docs/portable.md).
build {
  sources = ["source.docker.golden"]

  post-processors {
    post-processor "docker-tag" {
      repository = "golden"
      tags       = ["candidate"]
    }
    post-processor "shell-local" {
      environment_vars = ["IMAGE_ARCHIVE=golden-image.tar", "REPORT_DIR=premigrate-report",
                          "PREMIGRATE_FAIL_ON=high"]
      inline = [
        "docker save -o \"$IMAGE_ARCHIVE\" golden:candidate",
        "examples/ci/scan-image.sh \"$IMAGE_ARCHIVE\" \"$REPORT_DIR\"",
      ]
    }
  }
}
